import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The chat page, built into `services/gateway/web-dist` (served by the gateway at `/`).
 * `@koda/client` is bundled from its TypeScript sources, so the page never runs a stale build
 * of the library. Of `@koda/contracts` only the agent table reaches the bundle (it has no
 * runtime import); everything else the page takes from it is a type.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  logLevel: 'warn',
  publicDir: false,
  resolve: {
    alias: {
      '@koda/client': here('../../../libs/client/src/index.ts'),
      '@koda/contracts': here('../../../libs/contracts/src/agents.ts'),
    },
  },
  build: {
    outDir: here('../web-dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Keep CSS and JS as files: the page's CSP allows no inline script or style.
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
