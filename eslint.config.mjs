// One ESLint config for the workspace: typescript-eslint's type-checked rules over every
// TypeScript file (sources, tests, bench), one type-checking program (tsconfig.check.json),
// Prettier owning the layout. The rules turned off are listed, with why, in the README ("Lint").
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/dist/', '**/node_modules/', 'services/gateway/web-dist/', 'bench/results/', 'coverage/', 'test-artifacts/', '.nx/', '.tools/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.check.json', './services/gateway/web/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Turned off or narrowed where the rule fights how this codebase is written (README, "Lint").
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, properties: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read JSON bodies, job data and SSE frames as `any` and check them with expect().
    files: ['**/*.spec.ts', 'test/**', '**/test/**', '**/testing/**', 'bench/src/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['examples/**/test/**/*.js'], languageOptions: { globals: { ...globals.jest } } },
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs', 'services/gateway/web/**/*.js'], languageOptions: { sourceType: 'module' } },
  prettier,
);
