import { isIP } from 'net';
import type { KodaConfig } from '@koda/platform';

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * The auth settings that only make sense together, checked before the gateway listens; the
 * message names the variable to change. Returns null when the gateway may start.
 */
export function authStartupProblem(config: KodaConfig): string | null {
  if (config.KODA_AUTH === 'none' && !isLoopback(config.HOST) && !config.KODA_ALLOW_ANONYMOUS) {
    return `KODA_AUTH=none lets anyone in, and HOST=${config.HOST} is not a loopback address: set KODA_AUTH=apikey (with KODA_API_KEYS or keys made with \`npm run keys -- create <user>\`) or KODA_AUTH=jwt, or listen on HOST=127.0.0.1. KODA_ALLOW_ANONYMOUS=true overrides this check (unsafe: anyone reaching the port reads and spends as the local user).`;
  }
  if (config.KODA_AUTH === 'jwt' && !config.KODA_JWT_SECRET && !config.KODA_JWT_JWKS_URL) {
    return 'KODA_AUTH=jwt needs KODA_JWT_SECRET (HS256) or KODA_JWT_JWKS_URL to verify tokens.';
  }
  return null;
}

export class AuthStartupError extends Error {
  override name = 'AuthStartupError';
}
