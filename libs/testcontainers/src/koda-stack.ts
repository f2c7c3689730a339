import { KodaClient } from '@koda/client';
import type { CreateNoteDto, Note } from '@koda/contracts';
import { GenericContainer, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { containerUrl, DOCKER_HOST_ALIAS, isLoopbackUrl, portOf } from './container-url';
import { startHostRelay, type HostRelay } from './host-relay';
import { CONTAINER_NOTES_DIR, GATEWAY_PORT, imageOf, redisImageOf, servicesOf, type KodaService, type KodaStackOptions } from './options';
import { readRunEvents, type RunRecord } from './run-events';
import { waitUntilReady } from './wait-ready';

const REDIS_ALIAS = 'redis';
/** Placeholder key when an endpoint is given without credentials (fake servers accept any). */
const PLACEHOLDER_API_KEY = 'koda-testcontainers';

/** A running KODA (Redis + its services) in Docker, for integration tests. */
export class KodaStack {
  /** The gateway's URL from this machine, e.g. `http://localhost:49154`. */
  readonly baseUrl: string;
  /** A `KodaClient` for `baseUrl`. */
  readonly client: KodaClient;

  private constructor(
    private readonly parts: { network: StartedNetwork; redis: StartedTestContainer; services: StartedTestContainer[]; relay?: HostRelay },
    gateway: StartedTestContainer,
  ) {
    this.baseUrl = `http://${gateway.getHost()}:${gateway.getMappedPort(GATEWAY_PORT)}`;
    this.client = new KodaClient({ baseUrl: this.baseUrl });
  }

  /**
   * Starts Redis and KODA on a network of their own and resolves once `/health` says every
   * queue has a worker. On failure, whatever was started is removed before the error is thrown.
   */
  static async start(options: KodaStackOptions = {}): Promise<KodaStack> {
    const started: { network?: StartedNetwork; redis?: StartedTestContainer; services: StartedTestContainer[]; relay?: HostRelay } = { services: [] };
    try {
      started.network = await new Network().start();
      started.redis = await startRedis(options, started.network);
      const anthropic = await anthropicEnv(options);
      started.relay = anthropic.relay;
      for (const service of servicesOf(options)) {
        started.services.push(await startService(service, options, started.network, anthropic.env));
      }
      const stack = new KodaStack(started as Required<typeof started>, started.services[started.services.length - 1]);
      await waitUntilReady(stack.baseUrl, options.startupTimeoutMs ?? 90_000);
      return stack;
    } catch (error) {
      await stopAll(started);
      throw error;
    }
  }

  /** Adds a note to Mimir's corpus (searchable at once). */
  addNote(note: Pick<CreateNoteDto, 'title' | 'content' | 'tags'>): Promise<Note> {
    return this.client.createNote(note);
  }

  /** Every event of a run, replayed from its log until its terminal event. */
  runEvents(runId: string, lastEventId?: string): Promise<RunRecord> {
    return readRunEvents(this.client, runId, lastEventId);
  }

  /** The containers, for tests that inspect or restart them (the gateway is the last one). */
  get containers(): { redis: StartedTestContainer; services: readonly StartedTestContainer[] } {
    return { redis: this.parts.redis, services: this.parts.services };
  }

  /** Stops and removes every container, the network and the relay. */
  stop(): Promise<void> {
    return stopAll(this.parts);
  }
}

function startRedis(options: KodaStackOptions, network: StartedNetwork): Promise<StartedTestContainer> {
  return new GenericContainer(redisImageOf(options))
    .withNetwork(network)
    .withNetworkAliases(REDIS_ALIAS)
    .withCommand(['redis-server', '--protected-mode', 'no', '--save', '', '--appendonly', 'no'])
    .withExposedPorts(6379)
    .start();
}

async function anthropicEnv(options: KodaStackOptions): Promise<{ env: Record<string, string>; relay?: HostRelay }> {
  if (!options.anthropicBaseUrl) return { env: { ANTHROPIC_API_KEY: '' } };
  const env = { ANTHROPIC_API_KEY: options.auth?.anthropicApiKey ?? PLACEHOLDER_API_KEY };
  if (!isLoopbackUrl(options.anthropicBaseUrl)) return { env: { ...env, ANTHROPIC_BASE_URL: options.anthropicBaseUrl } };
  const relay = await startHostRelay(new URL(options.anthropicBaseUrl).hostname.replace(/^\[|\]$/g, ''), portOf(options.anthropicBaseUrl));
  return { env: { ...env, ANTHROPIC_BASE_URL: containerUrl(options.anthropicBaseUrl, relay.port) }, relay };
}

function startService(
  service: KodaService,
  options: KodaStackOptions,
  network: StartedNetwork,
  anthropic: Record<string, string>,
): Promise<StartedTestContainer> {
  let container = new GenericContainer(imageOf(options))
    .withNetwork(network)
    .withCommand([service])
    // testcontainers 12 waits for the image's HEALTHCHECK by default (10 s interval, per container);
    // the stack polls the gateway's /health itself once every service runs (waitUntilReady).
    .withWaitStrategy(Wait.forListeningPorts())
    .withExtraHosts([{ host: DOCKER_HOST_ALIAS, ipAddress: 'host-gateway' }])
    .withEnvironment({
      REDIS_URL: `redis://${REDIS_ALIAS}:6379`,
      PORT: String(GATEWAY_PORT),
      KODA_NOTES_DIR: CONTAINER_NOTES_DIR,
      KODA_OFFLINE_TOKEN_DELAY_MS: '1',
      LOG_LEVEL: 'info',
      // A throwaway stack for tests: no credentials unless options.env sets KODA_AUTH.
      KODA_ALLOW_ANONYMOUS: 'true',
      ...anthropic,
      ...options.env,
    });
  if (service === 'gateway' || service === 'all') container = withNotes(container.withExposedPorts(GATEWAY_PORT), options.notes);
  return container.start();
}

/** Notes are imported by the gateway at start, from KODA_NOTES_DIR. */
function withNotes(container: GenericContainer, notes: KodaStackOptions['notes']): GenericContainer {
  if (notes === undefined) return container;
  if (typeof notes === 'string') return container.withCopyDirectoriesToContainer([{ source: notes, target: CONTAINER_NOTES_DIR }]);
  return container.withCopyContentToContainer(
    Object.entries(notes).map(([name, content]) => ({ content, target: `${CONTAINER_NOTES_DIR}/${name}`, mode: 0o644 })),
  );
}

async function stopAll(parts: { network?: StartedNetwork; redis?: StartedTestContainer; services: StartedTestContainer[]; relay?: HostRelay }): Promise<void> {
  await Promise.allSettled(parts.services.map((c) => c.stop()));
  await parts.redis?.stop().catch(() => undefined);
  await parts.network?.stop().catch(() => undefined);
  await parts.relay?.close();
}
