import { chromiumPath } from './support/chromium';

/** The browser suites need the system Chromium; without it they must fail loudly, not skip. */
describe('finding Chromium', () => {
  it('finds the system Chromium', () => {
    expect(chromiumPath()).toMatch(/chromium/);
  });

  it('fails with install instructions when there is none', () => {
    const saved = { PATH: process.env.PATH, CHROMIUM_PATH: process.env.CHROMIUM_PATH };
    process.env.PATH = '/nonexistent';
    delete process.env.CHROMIUM_PATH;
    try {
      expect(() => chromiumPath()).toThrow(/Chromium was not found[\s\S]*never download[\s\S]*apt-get install -y chromium/);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.CHROMIUM_PATH !== undefined) process.env.CHROMIUM_PATH = saved.CHROMIUM_PATH;
    }
  });
});
