import type { NextFunction, Request, Response } from 'express';
import { RETRY_AFTER_S } from '../http/redis-trouble';
import { whatDidNotHappen } from '../http/unexpected-error.filter';

export interface GateState {
  /** The gateway is stopping: it takes no new work (SIGTERM). */
  readonly draining: boolean;
  /** Redis can take a command now (connected, and not found unreachable by the last check). */
  readonly redisUsable: boolean;
}

/** Routes that must answer whatever Redis does: the page and the metrics. */
const ALWAYS_OPEN = /^\/(?:$|assets\/|favicon|metrics)/;

/**
 * Answers at once, before any Redis command is queued: 503 `shutting_down` while the gateway
 * drains, 503 `redis_unavailable` while Redis is known to be down (instead of a request
 * hanging on a reconnecting client). `/health` has its own answer for both.
 */
export function requestGate(state: GateState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (ALWAYS_OPEN.test(req.path) || req.path.startsWith('/health')) return next();
    if (state.draining) return refuse(req, res, 'shutting_down', 'This gateway is shutting down');
    if (!state.redisUsable) return refuse(req, res, 'redis_unavailable', 'Redis is unreachable');
    next();
  };
}

function refuse(req: Request, res: Response, code: 'shutting_down' | 'redis_unavailable', why: string): void {
  res.setHeader('Retry-After', String(RETRY_AFTER_S[code === 'shutting_down' ? 'shutting_down' : 'unavailable']));
  if (code === 'shutting_down') res.setHeader('Connection', 'close');
  res.status(503).json({ statusCode: 503, error: 'Service Unavailable', code, message: `${why}; ${whatDidNotHappen(req)}. Retry shortly.` });
}
