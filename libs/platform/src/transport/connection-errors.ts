/**
 * BullMQ 6 re-emits its connection's errors on every Queue and FlowProducer; an emitter with no
 * `error` listener throws them, and BullMQ then prints them with console.error (unstructured, one
 * line per failed reconnection). The connection itself (createRedis with a logger) already logs
 * once when it starts failing and once when it is back, so these copies are dropped.
 */
export function dropConnectionErrors<T extends { on(event: 'error', listener: (error: Error) => void): unknown }>(emitter: T): T {
  emitter.on('error', () => undefined);
  return emitter;
}
