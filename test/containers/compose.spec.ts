import './support/docker-env';
import type { CompleteEvent, RoutingEvent } from '@koda/contracts';
import { waitUntilReady } from '@koda/testcontainers';
import { expectWellFormedRun, streamRun } from '@koda/testing';
import { ComposeProject } from './support/compose';
import { KODA_IMAGE, KODA_REDIS_IMAGE } from './support/docker-env';

/**
 * The repo's docker-compose.yml as a user runs it: Redis and every service from the one image,
 * three gateways on a published port range, two plume workers. The images are prebuilt
 * (build-images.sh), so `up` does not rebuild them.
 */
describe('docker-compose.yml', () => {
  const firstPort = 40_000 + Math.floor(Math.random() * 2_000) * 10;
  const project = new ComposeProject(`koda-ct-${process.pid}`, {
    KODA_IMAGE,
    KODA_REDIS_IMAGE,
    KODA_GATEWAY_PUBLISH: `127.0.0.1:${firstPort}-${firstPort + 9}`,
    // One job per plume process at a time: concurrent runs must use both replicas.
    KODA_WORKER_CONCURRENCY: '1',
    KODA_OFFLINE_TOKEN_DELAY_MS: '5',
    // Creating containers in parallel is slow on the vfs storage driver (each copies the image).
    COMPOSE_HTTP_TIMEOUT: '600',
  });
  let gateways: string[] = [];

  beforeAll(async () => {
    await project.exec('up', '-d', '--no-build', '--scale', 'gateway=3', '--scale', 'plume=2');
    const ports = await project.publishedPorts('gateway', 3000, 3);
    gateways = ports.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(gateways.map((url) => waitUntilReady(url, 120_000)));
  }, 300_000);
  afterAll(() => project.down(), 120_000);

  it('reports every container healthy through the image health check', async () => {
    const ids = (await project.exec('ps', '-q')).split('\n').filter(Boolean);
    expect(ids).toHaveLength(1 + 3 + 1 + 2 + 1 + 1); // redis, gateways, orchestrator, plumes, mimir, discussion
    // Gateways are probed every 3 s: the first probe may still be due.
    let states: string[] = [];
    for (let i = 0; i < 40 && (states.length === 0 || !states.every((s) => s === 'healthy')); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      states = await project.healthOf(ids);
    }
    expect(states).toEqual(ids.map(() => 'healthy'));
  });

  it('publishes the scaled gateways on distinct ports of the configured range', () => {
    const ports = gateways.map((url) => Number(new URL(url).port));
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) expect(port >= firstPort && port <= firstPort + 9).toBe(true);
  });

  it.each([
    ['plume', 'Reformule : la réunion de lundi est déplacée à mardi', 'plume'],
    ['mimir', 'Cherche dans mes notes ce que j’ai écrit sur Redis Streams', 'mimir'],
    ['discussion', 'Débattez : faut-il tout noter ?', 'discussion'],
    ['auto', 'Qu’ai-je noté sur mon voyage au Japon ?', 'mimir'],
  ])('streams a %s run through the stack', async (mode, message, agent) => {
    const gateway = gateways[['plume', 'mimir', 'discussion', 'auto'].indexOf(mode) % gateways.length];
    const result = await streamRun(gateway, mode === 'auto' ? { message } : { message, mode });
    const terminal = expectWellFormedRun(result) as CompleteEvent;
    expect(terminal.type).toBe('complete');
    expect(terminal.result.agent_used).toBe(agent);
    if (mode === 'auto') expect(result.events.find((e): e is RoutingEvent => e.type === 'routing')?.node).toBe('mimir');
    // Mimir answers from the notes the gateway imported from the mounted folder.
    if (agent === 'mimir') expect(terminal.result.metadata.clickable_objects?.length).toBeGreaterThan(0);
  });

  it('spreads plume jobs over both plume replicas', async () => {
    const health = (await (await fetch(`${gateways[0]}/health`)).json()) as { workers: Record<string, number> };
    expect(health.workers['agent-plume']).toBe(2);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        streamRun(gateways[i % gateways.length], { message: `Rédige un court mot de remerciement numéro ${i}`, mode: 'plume' }),
      ),
    );
    const runIds = results.map((r) => (expectWellFormedRun(r) as CompleteEvent).run_id);
    const lines = await project.logLines('plume');
    const replicasThatRan = new Set(lines.filter(({ line }) => runIds.some((id) => line.includes(id))).map(({ container }) => container));
    expect(replicasThatRan.size).toBe(2);
  });
});
