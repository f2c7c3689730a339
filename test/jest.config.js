module.exports = { ...require('../jest.preset.js')(__dirname), testMatch: ['<rootDir>/**/*.spec.ts'] };
