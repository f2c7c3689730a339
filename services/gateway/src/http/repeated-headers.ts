import type { NextFunction, Request, Response } from 'express';
import { fieldError } from './field-error';

/**
 * Headers that name one thing. Node keeps only the first `Authorization` of a request and
 * joins repeated `Idempotency-Key` or `Last-Event-ID` lines with ", ", so a request carrying
 * two would be served under a credential, key or position it did not mean: refused instead.
 */
const SINGLE_HEADERS = ['authorization', 'idempotency-key', 'last-event-id'] as const;

/** Middleware: 400 naming the header when one of SINGLE_HEADERS comes more than once. */
export function refuseRepeatedHeaders(req: Request, res: Response, next: NextFunction): void {
  for (const name of SINGLE_HEADERS) {
    if ((req.headersDistinct[name]?.length ?? 0) < 2) continue;
    res.status(400).json(fieldError(headerName(name), 'must be sent once').getResponse());
    return;
  }
  next();
}

function headerName(name: (typeof SINGLE_HEADERS)[number]): string {
  return { authorization: 'Authorization', 'idempotency-key': 'Idempotency-Key', 'last-event-id': 'Last-Event-ID' }[name];
}
