import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createLogger, loadConfig } from '@koda/platform';
import { DoorbellSubscribers } from './doorbell-subscribers';

/** The doorbell subscribers on the real Redis: batched (un)subscriptions keep their meaning. */
describe('DoorbellSubscribers (single Redis)', () => {
  const prefix = `test-doorbell-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({ ...process.env, KODA_PREFIX: prefix, KODA_RELAY_READERS: '1' });
  const rings: string[] = [];
  let subscribers: DoorbellSubscribers;
  let publisher: Redis;
  let monitor: Redis | undefined;
  const channel = (name: string) => `${prefix}:run:{${name}}:wake`;

  beforeAll(() => {
    subscribers = new DoorbellSubscribers(config, createLogger('doorbell-spec', 'silent'), {
      onRing: (ch, message) => rings.push(`${ch} ${message}`),
      onReconnected: () => undefined,
    });
    publisher = new Redis(config.REDIS_URL);
  });
  afterAll(async () => {
    subscribers.stop();
    monitor?.disconnect();
    await publisher.quit();
  });

  const ringAll = async (names: string[]) => {
    for (const name of names) await publisher.spublish(channel(name), `0-0 1-0 ${name}`);
    await new Promise((r) => setTimeout(r, 100));
  };

  it('subscribes the channels asked in one turn with one SSUBSCRIBE, and each then hears its rings', async () => {
    monitor = await publisher.duplicate().monitor();
    const sent: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (/^ssubscribe$/i.test(args[0]) && args[1]?.startsWith(prefix)) sent.push(args.slice(1));
    });
    const names = Array.from({ length: 30 }, (_, i) => `many-${i}`);
    await Promise.all(names.map((name) => subscribers.subscribe(channel(name), 0)));
    await ringAll(names);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(30);
    expect(rings.filter((r) => r.includes('{many-'))).toHaveLength(30);
  });

  it('a channel closed and reopened in the same turn stays subscribed; one closed stays closed', async () => {
    await Promise.all([subscribers.subscribe(channel('kept'), 0), subscribers.subscribe(channel('dropped'), 0)]);
    subscribers.unsubscribe(channel('kept'), 0);
    const reopened = subscribers.subscribe(channel('kept'), 0);
    subscribers.unsubscribe(channel('dropped'), 0);
    await reopened;
    rings.length = 0;
    await ringAll(['kept', 'dropped']);
    expect(rings).toEqual([`${channel('kept')} 0-0 1-0 kept`]);
  });

  it('a channel opened and closed in the same turn ends unsubscribed (its subscriber still settles)', async () => {
    const opened = subscribers.subscribe(channel('brief'), 0);
    subscribers.unsubscribe(channel('brief'), 0);
    await opened;
    rings.length = 0;
    await ringAll(['brief']);
    expect(rings).toEqual([]);
  });
});
