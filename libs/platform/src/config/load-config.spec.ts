import { ConfigError, loadConfig } from './load-config';
import { queuePrefix, redisTarget } from '../redis/redis-target';

describe('configuration', () => {
  it('has a default for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ REDIS_URL: 'redis://127.0.0.1:6379', PORT: 3000, KODA_PREFIX: 'koda', KODA_RUN_TTL_SECONDS: 86_400 });
  });

  it('defaults to no authentication on loopback, and names every bad identity setting', () => {
    expect(loadConfig({})).toMatchObject({
      KODA_AUTH: 'none',
      HOST: '127.0.0.1',
      KODA_ALLOW_ANONYMOUS: false,
      KODA_NOTES_USER: 'local',
      KODA_RUNS_PER_MINUTE: 0,
    });
    expect(loadConfig({ KODA_ALLOW_ANONYMOUS: 'TRUE', KODA_API_KEYS: 'ann:0123456789abcdef, bo:fedcba9876543210' })).toMatchObject({
      KODA_ALLOW_ANONYMOUS: true,
    });
    const bad = {
      KODA_AUTH: 'basic',
      KODA_ALLOW_ANONYMOUS: 'yes',
      KODA_API_KEYS: 'ann:short',
      KODA_JWT_SECRET: 'short',
      KODA_RUNS_PER_MINUTE: '-1',
      KODA_CORS_ORIGINS: '*',
      KODA_NOTES_USER: 'a b',
    };
    let problems: string[] = [];
    try {
      loadConfig(bad);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    for (const name of Object.keys(bad)) expect(problems.some((p) => p.startsWith(`${name}=`))).toBe(true);
  });

  it('reads numbers from the environment', () => {
    expect(loadConfig({ PORT: '8080', KODA_RUN_TIMEOUT_MS: '5000' })).toMatchObject({ PORT: 8080, KODA_RUN_TIMEOUT_MS: 5000 });
  });

  it('imports the sample notes by default, a folder of yours, or none (empty or "none")', () => {
    expect(loadConfig({}).KODA_NOTES_DIR).toMatch(/notes$/);
    expect(loadConfig({ KODA_NOTES_DIR: '/home/me/notes' }).KODA_NOTES_DIR).toBe('/home/me/notes');
    expect(loadConfig({ KODA_NOTES_DIR: '' }).KODA_NOTES_DIR).toBe('');
    expect(loadConfig({ KODA_NOTES_DIR: 'none' }).KODA_NOTES_DIR).toBe('');
    expect(loadConfig({ KODA_NOTES_DIR: 'NONE' }).KODA_NOTES_DIR).toBe('');
  });

  it('names every bad variable', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x', LOG_LEVEL: 'loud', KODA_RUN_TTL_SECONDS: '-1' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL', 'KODA_RUN_TTL_SECONDS']) expect(message).toContain(`${name}=`);
    }
  });

  it('Redis Cluster seeds: off by default, host:port list validated, naming the variable', () => {
    expect(redisTarget(loadConfig({}))).toEqual({ url: 'redis://127.0.0.1:6379' });
    const config = loadConfig({ KODA_REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-b:7001 ', KODA_PREFIX: 'k' });
    expect(redisTarget(config).clusterNodes).toEqual(['10.0.0.1:7000', 'redis-b:7001']);
    expect(queuePrefix(config)).toBe('{k:queues}');
    expect(queuePrefix(loadConfig({ KODA_PREFIX: 'k' }))).toBe('k');
    for (const bad of ['redis://a:1', 'a', 'a:1,,b:2', 'a:port']) {
      expect(() => loadConfig({ KODA_REDIS_CLUSTER_NODES: bad })).toThrow(/KODA_REDIS_CLUSTER_NODES=.*host:port/);
    }
  });

  it('relay: the doorbell by default, xread on demand, anything else refused naming the variable', () => {
    expect(loadConfig({}).KODA_RELAY).toBe('doorbell');
    expect(loadConfig({}).KODA_RELAY_SAFETY_POLL_MS).toBe(500);
    expect(loadConfig({ KODA_RELAY: 'xread' }).KODA_RELAY).toBe('xread');
    expect(() => loadConfig({ KODA_RELAY: 'pubsub' })).toThrow(/KODA_RELAY=.*doorbell or xread/);
    expect(() => loadConfig({ KODA_RELAY_SAFETY_POLL_MS: '10' })).toThrow(/KODA_RELAY_SAFETY_POLL_MS/);
  });

  it('metrics port and OTLP export: off by default, validated when set', () => {
    expect(loadConfig({})).toMatchObject({ KODA_METRICS_PORT: 0, OTEL_EXPORTER_OTLP_ENDPOINT: undefined });
    expect(
      loadConfig({ KODA_METRICS_PORT: '9464', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
    ).toMatchObject({
      KODA_METRICS_PORT: 9464,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    const attempt = () => loadConfig({ KODA_METRICS_PORT: '70000', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      for (const name of ['KODA_METRICS_PORT', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL'])
        expect((error as Error).message).toContain(`${name}=`);
    }
  });
});
