import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from '@koda/platform';

const REDIS_DOWN = /MaxRetriesPerRequest|ECONNREFUSED|Connection is closed|ETIMEDOUT|EHOSTUNREACH/;

/**
 * HTTP errors pass through as they are; anything else is logged and answered as JSON: 503 when
 * Redis is unreachable (nothing was started, the caller may retry), else 500.
 */
@Catch()
export class UnexpectedErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof HttpException) {
      res.status(error.getStatus()).json(error.getResponse());
      return;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.error({ err: error }, 'request failed');
    if (res.headersSent) {
      res.end();
    } else if (REDIS_DOWN.test(message)) {
      res.status(503).json({ statusCode: 503, error: 'Service Unavailable', message: 'Redis is unreachable; nothing was started. Retry shortly.' });
    } else {
      res.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: 'Unexpected error; see the gateway logs.' });
    }
  }
}
