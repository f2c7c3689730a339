import type { Logger } from 'pino';
import { HAND_BACK_MS } from './transport/bullmq-transport';

interface Closable {
  close(): Promise<unknown>;
}

export interface RunUntilSignalOptions {
  /**
   * The service's shutdown grace (`KODA_SHUTDOWN_GRACE_MS`). When given, the process exits by
   * grace + hand-back time + 1 s whatever its closing services do (exit code 1 if they hang).
   */
  graceMs?: number;
}

/** Runs a service until SIGINT/SIGTERM, then closes it; a failed start exits non-zero. */
export function runUntilSignal(
  logger: Logger,
  start: () => Promise<Closable | Closable[]>,
  onStopped?: () => Promise<void>,
  options: RunUntilSignalOptions = {},
): void {
  start()
    .then((started) => {
      const services = Array.isArray(started) ? started : [started];
      logger.info('started');
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return repeatedSignal(logger, signal);
        stopping = true;
        logger.info({ signal, grace_ms: options.graceMs }, 'stopping');
        if (options.graceMs !== undefined) exitAnywayAfter(logger, options.graceMs + HAND_BACK_MS + 1000);
        await Promise.allSettled([...services].reverse().map((s) => s.close()));
        await onStopped?.();
        logger.info('stopped');
        process.exit(0);
      };
      // Listeners stay for the whole shutdown: with `once`, a second signal (an orchestrator that
      // repeats SIGTERM, several supervisors) would meet the default action and kill the process
      // mid-drain, cutting the streams it is handing over.
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    })
    .catch(async (error: Error) => {
      logger.fatal({ err: error }, `failed to start: ${error.message}`);
      await onStopped?.();
      process.exit(1);
    });
}

/**
 * A signal during the shutdown: a repeated SIGTERM changes nothing (the grace already bounds the
 * exit); a second Ctrl-C is a person who wants out now.
 */
function repeatedSignal(logger: Logger, signal: string): void {
  if (signal === 'SIGINT') {
    logger.warn({ signal }, 'second interrupt; exiting now');
    process.exit(130);
  }
  logger.info({ signal }, 'already stopping; signal ignored');
}

/** The deadline of a shutdown: a close that hangs (a Redis gone, a stuck handler) cannot keep the process alive. */
function exitAnywayAfter(logger: Logger, ms: number): void {
  setTimeout(() => {
    logger.error({ after_ms: ms }, 'shutdown deadline passed; exiting now');
    process.exit(1);
  }, ms).unref();
}
