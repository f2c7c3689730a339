import { startStack, streamRun } from '@koda/testing';
it('probe', async () => {
  const stack = await startStack('probe', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 10 } });
  try {
    for (const mode of ['plume', 'mimir', 'discussion', 'auto']) {
      const t = Date.now();
      const r = await streamRun(stack.baseUrl, { message: mode === 'mimir' ? 'Cherche mes notes sur Redis Streams' : 'Faut-il tout noter ?', mode });
      const tokens = r.events.filter((e) => e.type === 'token').length;
      console.log(mode, Date.now() - t, 'ms', tokens, 'token events', r.raw.slice(0, 600), JSON.stringify(r.events[r.events.length-1]).slice(0, 800));
    }
  } finally { await stack.close(); }
}, 60000);
