import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { KodaConfig } from './koda-config';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(error: ValidationError, env: NodeJS.ProcessEnv): string {
  const rules = Object.values(error.constraints ?? {}).join('; ');
  return `${error.property}=${JSON.stringify(env[error.property] ?? '')}: ${rules}`;
}

/** Variables whose empty value means something ("no notes"), rather than "use the default". */
const MEANINGFUL_WHEN_EMPTY = new Set(['KODA_NOTES_DIR']);

/** Reads and validates the environment; throws `ConfigError` naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<KodaConfig> = {}): KodaConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && (v !== '' || MEANINGFUL_WHEN_EMPTY.has(k))));
  const config = plainToInstance(KodaConfig, { ...defined, ...overrides });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(errors.map((e) => describe(e, env)));
  return config;
}

/** For `main` files: load the configuration or stop the process with a readable message. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): KodaConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
}
