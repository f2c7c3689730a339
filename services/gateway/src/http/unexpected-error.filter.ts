import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from '@koda/platform';
import { redisTroubleOf, RETRY_AFTER_S } from './redis-trouble';
import { RetryLaterException } from './retry-later';

/**
 * HTTP errors pass through as they are; anything else is logged and answered as JSON: 503
 * with `Retry-After` when Redis is full (`redis_full`) or unreachable (`redis_unavailable`),
 * saying what did not happen on that route; else 500.
 */
@Catch()
export class UnexpectedErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly onRedisTrouble: (trouble: 'full' | 'unavailable') => void = () => undefined,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    if (error instanceof HttpException) {
      if (error instanceof RetryLaterException && !res.headersSent) res.setHeader('Retry-After', String(error.retryAfterS));
      if (!res.headersSent) res.status(error.getStatus()).json(error.getResponse());
      return;
    }
    if (res.headersSent) {
      this.logger.error({ err: error }, 'request failed after its answer began');
      res.end();
      return;
    }
    const trouble = redisTroubleOf(error);
    const req = http.getRequest<Request>();
    if (trouble) {
      this.onRedisTrouble(trouble);
      this.logger.warn({ err: (error as Error).message, method: req.method, path: req.path }, `request refused: Redis ${trouble}`);
      const code = trouble === 'full' ? 'redis_full' : 'redis_unavailable';
      const why = trouble === 'full' ? 'Redis is out of memory' : 'Redis is unreachable';
      res.setHeader('Retry-After', String(RETRY_AFTER_S[trouble]));
      res.status(503).json({ statusCode: 503, error: 'Service Unavailable', code, message: `${why}; ${whatDidNotHappen(req)}. Retry shortly.` });
      return;
    }
    this.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ statusCode: 500, error: 'Internal Server Error', code: 'internal', message: `Unexpected error; ${whatDidNotHappen(req)}. See the gateway logs.` });
  }
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
