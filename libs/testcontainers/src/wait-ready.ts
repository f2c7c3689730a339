/**
 * Polls the gateway's `/health` until it answers 200 with status `ok`: Redis answers and every
 * queue has a live worker, so a run started now is served at once.
 */
export async function waitUntilReady(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.status === 200 && (JSON.parse(body) as { status?: string }).status === 'ok') return;
      last = `${res.status} ${body}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`KODA at ${baseUrl} was not ready within ${timeoutMs} ms (last /health: ${last}); see \`docker logs\` of its containers`);
}
