import type { Logger } from 'pino';

interface Closable {
  close(): Promise<unknown>;
}

/** Runs a service until SIGINT/SIGTERM, then closes it; a failed start exits non-zero. */
export function runUntilSignal(logger: Logger, start: () => Promise<Closable | Closable[]>, onStopped?: () => Promise<void>): void {
  start()
    .then((started) => {
      const services = Array.isArray(started) ? started : [started];
      logger.info('started');
      const stop = async (signal: string) => {
        logger.info({ signal }, 'stopping');
        await Promise.allSettled([...services].reverse().map((s) => s.close()));
        await onStopped?.();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    })
    .catch(async (error: Error) => {
      logger.fatal({ err: error }, `failed to start: ${error.message}`);
      await onStopped?.();
      process.exit(1);
    });
}
