import type { NextFunction, Request, Response } from 'express';
import { answerUnavailable, whatDidNotHappen, type UnavailableCode } from '../http/unavailable';

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

function refuse(req: Request, res: Response, code: UnavailableCode, why: string): void {
  if (code === 'shutting_down') res.setHeader('Connection', 'close');
  answerUnavailable(res, code, `${why}; ${whatDidNotHappen(req)}. Retry shortly.`);
}
