import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from '@koda/platform';
import { errorBody } from './error-body';
import { redisTroubleOf } from './redis-trouble';
import { answerUnavailable, whatDidNotHappen } from './unavailable';
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
      const why = trouble === 'full' ? 'Redis is out of memory' : 'Redis is unreachable';
      answerUnavailable(res, trouble === 'full' ? 'redis_full' : 'redis_unavailable', `${why}; ${whatDidNotHappen(req)}. Retry shortly.`);
      return;
    }
    this.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(500).json(errorBody(500, { code: 'internal', message: `Unexpected error; ${whatDidNotHappen(req)}. See the gateway logs.` }));
  }
}
