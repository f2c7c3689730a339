/**
 * Asks a process started with `--inspect` for a full garbage collection over the inspector
 * protocol: without it, a heap or RSS reading counts garbage V8 has not collected yet, and an
 * idle process may not collect for a long time.
 */
export async function collectGarbage(url: string): Promise<void> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    socket.onmessage = (message) => JSON.parse(String(message.data)).id === 1 && resolve();
    socket.onerror = () => reject(new Error(`inspector at ${url} did not answer`));
  });
  socket.close();
}

/** The inspector's WebSocket URL, from what a process started with `--inspect` printed. */
export function inspectorUrlIn(output: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
}
