import type { Request, Response } from 'express';
import { errorBody } from './error-body';

/** Why the gateway cannot do a request now; each has its own retry delay. */
export type UnavailableCode = 'redis_full' | 'redis_unavailable' | 'shutting_down';

const RETRY_AFTER_S: Record<UnavailableCode, number> = { redis_full: 5, redis_unavailable: 1, shutting_down: 1 };

/** The one shape of every 503: a `code`, a sentence, and `Retry-After`. */
export function answerUnavailable(res: Response, code: UnavailableCode, message: string, extra: Record<string, unknown> = {}): void {
  res.setHeader('Retry-After', String(RETRY_AFTER_S[code]));
  res.status(503).json(errorBody(503, { code, message, ...extra }));
}

/** The route's effect that did not take place, so a 5xx never claims more or less than the truth. */
export function whatDidNotHappen(req: Request): string {
  const path = req.path;
  if (req.method === 'POST' && path.startsWith('/api/v1/chat/')) return 'no run was started';
  if (req.method === 'POST' && path.endsWith('/cancel')) return 'the run was not cancelled';
  if (req.method === 'POST' && path.startsWith('/api/v1/notes')) return 'the note was not saved';
  if (req.method === 'DELETE') return 'nothing was deleted';
  return 'nothing could be read';
}
