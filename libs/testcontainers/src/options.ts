/** What `KodaStack.start` accepts; every field is optional. */
export interface KodaStackOptions {
  /** KODA's image (one image, every service). Default: `$KODA_IMAGE`, else `koda:latest`. */
  image?: string;
  /** Redis image. Default: `$KODA_REDIS_IMAGE`, else `redis:7-bookworm`. */
  redisImage?: string;
  /**
   * An Anthropic-compatible Messages API for the agents (a real one, or a fake server of your
   * tests). A `localhost`/`127.0.0.1` URL is reached from the containers through a relay on the
   * Docker host. Unset: KODA's offline model answers (deterministic, no network).
   */
  anthropicBaseUrl?: string;
  /** Credentials KODA sends to that endpoint (KODA's own HTTP API has no authentication). */
  auth?: { anthropicApiKey: string };
  /**
   * Notes imported into Mimir's corpus at start: a folder of Markdown files on this machine,
   * or file name → Markdown content.
   */
  notes?: string | Record<string, string>;
  /** One container per service (gateway, orchestrator, plume, mimir, discussion) instead of `all`. */
  split?: boolean;
  /** Extra KODA settings (see KODA's README, "Configuration"), e.g. `{ KODA_RUN_TIMEOUT_MS: '5000' }`. */
  env?: Record<string, string>;
  /** How long to wait for `/health` to be `ok` (default 90 s). */
  startupTimeoutMs?: number;
}

export const DEFAULT_IMAGE = 'koda:latest';
export const DEFAULT_REDIS_IMAGE = 'redis:7-bookworm';
export const CONTAINER_NOTES_DIR = '/notes';
export const GATEWAY_PORT = 3000;

export const imageOf = (options: KodaStackOptions) => options.image ?? process.env.KODA_IMAGE ?? DEFAULT_IMAGE;
export const redisImageOf = (options: KodaStackOptions) => options.redisImage ?? process.env.KODA_REDIS_IMAGE ?? DEFAULT_REDIS_IMAGE;

/** The services one stack runs: `all` in one container, or each in its own. */
export const SPLIT_SERVICES = ['orchestrator', 'plume', 'mimir', 'discussion', 'gateway'] as const;
export type KodaService = (typeof SPLIT_SERVICES)[number] | 'all';
export const servicesOf = (options: KodaStackOptions): readonly KodaService[] => (options.split ? SPLIT_SERVICES : ['all']);
