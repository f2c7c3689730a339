#!/usr/bin/env node
/**
 * The image's HEALTHCHECK. Exit 0 when this container's service is ready:
 * - gateway: GET /health answers 200 (Redis up; workers are other containers' business);
 * - all: GET /health answers 200 with status `ok` (its own workers are registered too);
 * - a worker (orchestrator, plume, mimir, discussion): Redis lists a BullMQ connection from
 *   this container's own address under KODA_PREFIX, i.e. this very process consumes jobs.
 * The service is read from PID 1's environment (set by the entry point), since `docker exec`
 * does not see it.
 */
const { readFileSync } = require('fs');
const os = require('os');

const TIMEOUT_MS = 4000;

function serviceOfPid1() {
  try {
    const entry = readFileSync('/proc/1/environ', 'utf8')
      .split('\0')
      .find((e) => e.startsWith('KODA_SERVICE='));
    return entry ? entry.slice('KODA_SERVICE='.length) : 'all';
  } catch {
    return 'all';
  }
}

async function httpReady(requireAllWorkers) {
  const res = await fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 200) throw new Error(`/health answered ${res.status}: ${JSON.stringify(body)}`);
  if (requireAllWorkers && body.status !== 'ok') throw new Error(`/health is ${body.status}: ${JSON.stringify(body.workers)}`);
}

function ownAddresses() {
  return Object.values(os.networkInterfaces())
    .flat()
    .map((i) => i.address);
}

async function workerRegistered() {
  const Redis = require('ioredis');
  const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: TIMEOUT_MS,
  });
  try {
    await redis.connect();
    const clients = String(await redis.client('LIST')).split('\n');
    const prefix = `${process.env.KODA_PREFIX || 'koda'}:`;
    const mine = new Set(ownAddresses());
    const found = clients.some((line) => {
      const addr = /(?:^| )addr=(\S+):\d+/.exec(line)?.[1]?.replace(/^\[|\]$/g, '');
      const name = /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '';
      return addr !== undefined && mine.has(addr) && name.startsWith(prefix);
    });
    if (!found) throw new Error('no BullMQ worker connection from this container yet');
  } finally {
    redis.disconnect();
  }
}

async function main() {
  const service = serviceOfPid1();
  if (service === 'gateway') await httpReady(false);
  else if (service === 'all') await httpReady(true);
  else await workerRegistered();
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`unhealthy: ${error.message}\n`);
    process.exit(1);
  },
);
