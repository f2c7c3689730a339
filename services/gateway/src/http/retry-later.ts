import { HttpException } from '@nestjs/common';

/** A refusal the client may retry after `retryAfterS` seconds (the filter sends `Retry-After`). */
export class RetryLaterException extends HttpException {
  constructor(
    status: number,
    body: object,
    readonly retryAfterS: number,
  ) {
    super(body, status);
  }
}
