import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { DEFAULT_PREFIX, LOCAL_USER, SSE_HEARTBEAT_MS } from '@koda/contracts';
import { DEFAULT_REDIS_URL } from '../redis/redis-locator';
import { IsBooleanText, toBool } from './bool-setting';
import * as path from 'path';
import { MULTITASK_STRATEGIES, type MultitaskStrategy } from '@koda/contracts';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value);

/** The repo's sample notes, found from `dist/config` and `src/config` alike. */
const DEFAULT_NOTES_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'notes');

/**
 * Every setting KODA reads, with its default and its rule. Loaded from the environment at
 * start; a bad value stops the service with a message naming the variable.
 */
export class KodaConfig {
  /** Redis holding the queues and the event logs. */
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL = DEFAULT_REDIS_URL;

  /**
   * Seed nodes of a Redis Cluster (`host:port,host:port,…`). When set, every service talks to
   * the cluster (ioredis `Cluster`) for streams and queues alike, and `REDIS_URL` is unused.
   */
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9_.-]+:\d{1,5}\s*(,\s*[A-Za-z0-9_.-]+:\d{1,5}\s*)*$/, { message: 'must be host:port seed nodes separated by commas' })
  KODA_REDIS_CLUSTER_NODES?: string;

  /** HTTP port of the gateway. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Prefix of every Redis key (queues, streams), so deployments and tests can share a Redis. */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ . or -' })
  KODA_PREFIX = DEFAULT_PREFIX;

  /** When set, agents call Anthropic; otherwise the embedded offline model answers. */
  @IsOptional()
  @IsString()
  ANTHROPIC_API_KEY?: string;

  /** Messages API endpoint (a local server in tests). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  ANTHROPIC_BASE_URL?: string;

  @IsOptional() @IsString() KODA_MODEL_PLUME?: string;
  @IsOptional() @IsString() KODA_MODEL_MIMIR?: string;
  @IsOptional() @IsString() KODA_MODEL_ROUTER?: string;

  /** Per-model prices as JSON, overriding the built-in table (see README). */
  @IsOptional() @IsString() KODA_PRICE_TABLE?: string;

  /**
   * Folder of Markdown notes imported into Mimir's notes log at start (default: the sample
   * corpus in `./notes`). Empty or `none`: import nothing, for a KODA with only your own notes.
   */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*none\s*$/i.test(value) ? '' : value))
  @IsString()
  KODA_NOTES_DIR = DEFAULT_NOTES_DIR;

  /** How long a finished run's event log stays readable (resume, replay). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  KODA_RUN_TTL_SECONDS = 86_400;

  /** A run still going after this long ends with a fatal `timeout` error. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  KODA_RUN_TIMEOUT_MS = 120_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Pace of the offline model's token stream. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  KODA_OFFLINE_TOKEN_DELAY_MS = 15;

  /** Jobs one worker process runs at once (agents mostly wait on I/O). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  KODA_WORKER_CONCURRENCY = 64;

  /**
   * How long a worker's hold on a job lasts without renewal. A worker that dies mid-job loses
   * it after this long and another worker takes the job over (the node starts over).
   */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  KODA_JOB_LOCK_MS = 30_000;

  /** How long a stopping service lets in-flight work finish before it hands it back and exits. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  KODA_SHUTDOWN_GRACE_MS = 10_000;

  /**
   * The gateway's Redis commands fail after this long (503 `redis_unavailable`), so an HTTP
   * request never hangs on a Redis that stopped answering.
   */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  KODA_REDIS_COMMAND_TIMEOUT_MS = 800;

  /** Comment line interval on idle SSE streams. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  KODA_HEARTBEAT_MS = SSE_HEARTBEAT_MS;

  /** Relay shards per gateway: each has its own doorbell subscriber (or blocking readers, with `xread`). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  KODA_RELAY_READERS = 1;

  /**
   * How the gateway follows live run logs: `doorbell` (default) delivers each entry from the
   * run's doorbell (sharded pub/sub rung by the write script) and reads the stream only to
   * catch up, resume and repair gaps; `xread` re-arms one blocking `XREAD` over every open
   * stream per batch (on a cluster: reads by cursor woken by the doorbell). See README "Relay".
   */
  @IsIn(['doorbell', 'xread'], { message: 'must be doorbell or xread' })
  KODA_RELAY: 'doorbell' | 'xread' = 'doorbell';

  /**
   * With the doorbell relay: a run log with no entry for this long is read by cursor, again
   * every this long, so an event whose doorbell was lost (and that no later doorbell revealed)
   * is late by at most about twice this, never missing.
   */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(600_000)
  KODA_RELAY_SAFETY_POLL_MS = 500;

  /** Maximum turns of a discussion before its synthesis. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  KODA_DISCUSSION_MAX_TURNS = 4;

  /** Attempts of one agent node when the LLM fails after output began. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  KODA_LLM_MAX_ATTEMPTS = 3;

  /** Attempts of one LLM request on 429/529/overloaded before giving up (backoff with jitter). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  KODA_LLM_RETRY_ATTEMPTS = 4;

  /** First backoff of those retries; doubles each time, honouring `retry-after`. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  KODA_LLM_RETRY_BASE_MS = 1000;

  /** An LLM stream with no event for this long is aborted as a timeout. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  KODA_LLM_IDLE_TIMEOUT_MS = 30_000;

  /** Token events per second at most, per node (deltas are coalesced, never dropped). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  KODA_TOKEN_EVENTS_PER_S = 20;

  /** Address the gateway listens on: loopback by default; `0.0.0.0` in a container (with auth on). */
  @Matches(/^[0-9A-Za-z.:_-]{1,253}$/, { message: 'must be an IP address or host name' })
  HOST = '127.0.0.1';

  /** Who may call the API: bearer keys, bearer JWTs, or nobody checked (one local user). */
  @IsIn(['apikey', 'jwt', 'none'])
  KODA_AUTH = 'none';

  /** `KODA_AUTH=none` on a non-loopback address starts only with this set to `true` (unsafe). */
  @Transform(toBool)
  @IsBooleanText()
  KODA_ALLOW_ANONYMOUS = false;

  /** Static API keys, `user:key,user2:key2` (keys of 16+ characters). */
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9_.@-]{1,64}:[^\s,:]{16,}\s*(,\s*[A-Za-z0-9_.@-]{1,64}:[^\s,:]{16,}\s*)*$/, {
    message: 'must be user:key pairs separated by commas (user: letters, digits, _ . @ -; key: 16+ characters, no comma, colon or space)',
  })
  KODA_API_KEYS?: string;

  /** HS256 secret verifying bearer JWTs (`KODA_AUTH=jwt`; 32+ characters). */
  @IsOptional()
  @IsString()
  @Matches(/^.{32,}$/, { message: 'must be at least 32 characters' })
  KODA_JWT_SECRET?: string;

  /** JWKS URL verifying bearer JWTs (`KODA_AUTH=jwt`), instead of a secret. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  KODA_JWT_JWKS_URL?: string;

  /** Required `iss` of bearer JWTs. */
  @IsOptional() @IsString() KODA_JWT_ISSUER?: string;

  /** Required `aud` of bearer JWTs. */
  @IsOptional() @IsString() KODA_JWT_AUDIENCE?: string;

  /** Origins allowed to call the API from a browser (CORS), comma-separated; none by default. */
  @IsOptional()
  @Matches(/^\s*https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*$/, { message: 'must be origins such as https://app.example.org, comma-separated' })
  KODA_CORS_ORIGINS?: string;

  /** The user owning the notes imported from `KODA_NOTES_DIR`. */
  @Matches(/^[A-Za-z0-9_.@-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ . @ or -' })
  KODA_NOTES_USER = LOCAL_USER;

  /** Runs one user may start per minute, across every replica (0: no limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  KODA_RUNS_PER_MINUTE = 0;

  /** What one user's runs may cost per UTC day, in EUR (0: no cap); past it, runs answer 429 `budget_exhausted`. */
  @Transform(({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^\d+(\.\d+)?$/.test(String(value)) ? Number(value) : value))
  @IsNumber({}, { message: '$property must be a number of euros, such as 2.50' })
  @Min(0)
  KODA_DAILY_BUDGET_EUR = 0;

  /**
   * What a new message does while its session has a run going, when the request does not say
   * (`multitask_strategy`): `reject` (409), `enqueue`, `interrupt` or `rollback` (see README).
   */
  @IsIn(MULTITASK_STRATEGIES, { message: `must be one of: ${MULTITASK_STRATEGIES.join(', ')}` })
  KODA_MULTITASK_DEFAULT: MultitaskStrategy = 'reject';

  /** Secret signing completion webhooks (HMAC-SHA256, 32+ characters); unset: requests with a `webhook` are refused. */
  @IsOptional()
  @IsString()
  @Matches(/^.{32,}$/, { message: 'must be at least 32 characters' })
  KODA_WEBHOOK_SECRET?: string;

  /**
   * Hosts a webhook may reach although they resolve to a private, loopback or link-local
   * address, comma-separated (`localhost,hooks.internal`); none by default.
   */
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9_.:[\]-]+\s*(,\s*[A-Za-z0-9_.:[\]-]+\s*)*$/, { message: 'must be host names or IP addresses, comma-separated' })
  KODA_WEBHOOK_ALLOW_HOSTS?: string;

  /** Deliveries of one webhook before it is given up (the first included). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  KODA_WEBHOOK_MAX_ATTEMPTS = 6;

  /** First retry delay of a webhook delivery; it doubles at each attempt. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  KODA_WEBHOOK_BACKOFF_MS = 2000;

  /** How long one delivery attempt may take (connect, send, answer). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  KODA_WEBHOOK_TIMEOUT_MS = 5000;

  /** Runs one user may have going at once, across every replica (0: no limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  KODA_MAX_ACTIVE_RUNS = 0;

  /**
   * Port of a worker's or the orchestrator's `/metrics`, `/health/live` and `/health/ready`.
   * 0 (the default) serves none; `npm start`'s all-in-one serves everything on the gateway's.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  KODA_METRICS_PORT = 0;

  /**
   * OTLP endpoint (base URL; traces go to `<it>/v1/traces`). Unset: no trace is recorded nor
   * exported.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Only OTLP over HTTP with JSON bodies is spoken. */
  @IsOptional()
  @IsIn(['http/json'], { message: 'must be http/json (the only OTLP protocol KODA exports with)' })
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;
}
