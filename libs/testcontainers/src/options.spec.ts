import { imageOf, redisImageOf, servicesOf } from './options';

describe('stack options', () => {
  it('runs everything in one container unless split', () => {
    expect(servicesOf({})).toEqual(['all']);
    expect(servicesOf({ split: true })).toEqual(['orchestrator', 'plume', 'mimir', 'discussion', 'gateway']);
  });

  it('takes images from the options, then the environment, then the defaults', () => {
    const saved = { ...process.env };
    try {
      delete process.env.KODA_IMAGE;
      delete process.env.KODA_REDIS_IMAGE;
      expect(imageOf({})).toBe('koda:latest');
      expect(redisImageOf({})).toBe('redis:7-bookworm');
      process.env.KODA_IMAGE = 'registry.test/koda:1.2';
      expect(imageOf({})).toBe('registry.test/koda:1.2');
      expect(imageOf({ image: 'mine:dev' })).toBe('mine:dev');
    } finally {
      process.env = saved;
    }
  });
});
