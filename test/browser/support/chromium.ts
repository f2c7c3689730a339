import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { chromium, type Browser } from 'playwright-core';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The system's Chromium (Debian's `chromium` package): these tests never download a browser.
 * Missing, they fail (not skip) and say how to install it, as CI does.
 */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  try {
    const found = execFileSync('/bin/sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8', env: process.env }).trim();
    if (found) return found.split('\n')[0];
  } catch {
    // not found: explained below
  }
  throw new Error(
    'Chromium was not found (looked for `chromium` and `chromium-browser` on PATH, and $CHROMIUM_PATH). ' +
      'The browser tests drive the system Chromium and never download one. Install it with ' +
      '`sudo apt-get install -y chromium` (Debian/Ubuntu; CI does this), or point CHROMIUM_PATH at a Chromium binary.',
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ARGS, headless: true });
}
