import * as path from 'path';

/** The page build the root `npm run build` uses: rebuilt only when its sources changed. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require(path.resolve(__dirname, '../../../scripts/build-web.js')) as { ensureWebBuilt(): Promise<boolean> };

export async function ensureWebBuilt(): Promise<void> {
  await script.ensureWebBuilt();
}
