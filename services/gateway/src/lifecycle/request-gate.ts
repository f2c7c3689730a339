import type { NextFunction, Request, Response } from 'express';
import { RETRY_AFTER_S } from '../http/redis-trouble';
import { whatDidNotHappen } from '../http/unexpected-error.filter';

export interface GateState {
  /** The gateway is stopping: it takes no new work (SIGTERM). */
  readonly draining: boolean;
  /** Redis can take a command now (connected, and not found unreachable by the last check). */
  readonly redisUsable: boolean;
  /** Redis is out of memory: reads still work, writes would be refused. */
  readonly redisFull: boolean;
}

/** Routes that must answer whatever Redis does: the page and the metrics. */
const ALWAYS_OPEN = /^\/(?:$|assets\/|favicon|metrics)/;

/**
 * Answers at once, before any Redis command is queued: 503 `shutting_down` while the gateway
 * drains, 503 `redis_unavailable` while Redis is known to be down (instead of a request
 * hanging on a reconnecting client), 503 `redis_full` to writes while Redis is out of memory.
 * `/health` has its own answer for all three.
 */
export function requestGate(state: GateState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (ALWAYS_OPEN.test(req.path) || req.path.startsWith('/health')) return next();
    if (state.draining) return refuse(req, res, 'shutting_down', 'This gateway is shutting down');
    if (!state.redisUsable) return refuse(req, res, 'redis_unavailable', 'Redis is unreachable');
    if (state.redisFull && req.method !== 'GET') return refuse(req, res, 'redis_full', 'Redis is out of memory');
    next();
  };
}

const RETRY_AFTER_OF = { shutting_down: RETRY_AFTER_S.shutting_down, redis_unavailable: RETRY_AFTER_S.unavailable, redis_full: RETRY_AFTER_S.full };

function refuse(req: Request, res: Response, code: keyof typeof RETRY_AFTER_OF, why: string): void {
  res.setHeader('Retry-After', String(RETRY_AFTER_OF[code]));
  if (code === 'shutting_down') res.setHeader('Connection', 'close');
  res.status(503).json({ statusCode: 503, error: 'Service Unavailable', code, message: `${why}; ${whatDidNotHappen(req)}. Retry shortly.` });
}
