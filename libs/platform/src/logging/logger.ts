import pino, { type Logger } from 'pino';
import { LOCAL_USER } from '@koda/contracts';
import { traceIdOf } from '../tracing/tracing';

export type { Logger } from 'pino';

/** Root JSON logger of one service; secrets are redacted wherever they appear. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'ANTHROPIC_API_KEY',
        '*.ANTHROPIC_API_KEY',
        'apiKey',
        '*.apiKey',
        '*.headers.authorization',
        '*.headers["x-api-key"]',
        'authorization',
        '*.authorization',
        'req.headers.authorization',
        'token',
        '*.token',
        'key',
        '*.api_key',
        'KODA_API_KEYS',
        '*.KODA_API_KEYS',
        'KODA_JWT_SECRET',
        '*.KODA_JWT_SECRET',
      ],
      censor: '[redacted]',
    },
  });
}

/** Binds a run's identity so every line of the run can be followed across services. */
export function runLogger(logger: Logger, run: { run_id: string; session_id?: string; user_id?: string; traceparent?: string }, extra: object = {}): Logger {
  // The trace id lets a run's log lines find its spans (only while tracing is on).
  const trace = run.traceparent ? { trace_id: traceIdOf(run.traceparent) } : {};
  return logger.child({ run_id: run.run_id, session_id: run.session_id, user_id: run.user_id ?? LOCAL_USER, ...trace, ...extra });
}
