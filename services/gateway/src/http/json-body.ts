import express, { type NextFunction, type Request, type Response } from 'express';
import { LIMITS } from '@koda/contracts';
import { errorBody } from './error-body';
import { checkJsonShape } from './json-shape';

/** Parses JSON bodies up to the documented size, depth and key-count limits. */
export const jsonBody = express.json({ limit: LIMITS.bodyMaxBytes, verify: (_req, _res, buf) => checkJsonShape(buf) });

/** Turns body-parser failures into the same JSON error shape as validation errors. */
export function jsonBodyErrors(error: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction): void {
  if (error.type === 'entity.too.large') {
    res.status(413).json(errorBody(413, { code: 'payload_too_large', message: `body: larger than ${LIMITS.bodyMaxBytes} bytes`, fields: [{ field: 'body', errors: [`larger than ${LIMITS.bodyMaxBytes} bytes`] }] }));
  } else if (error.type === 'entity.shape.refused') {
    res.status(400).json(errorBody(400, { code: 'invalid_request', message: `body: ${error.message}`, fields: [{ field: 'body', errors: [String(error.message)] }] }));
  } else if (error.type === 'entity.parse.failed') {
    res.status(400).json(errorBody(400, { code: 'invalid_request', message: 'body: malformed JSON', fields: [{ field: 'body', errors: [`malformed JSON: ${error.message}`] }] }));
  } else if (error.status && error.status >= 400 && error.status < 500) {
    res.status(error.status).json(errorBody(error.status, { code: 'invalid_request', message: `body: ${error.message}`, fields: [{ field: 'body', errors: [String(error.message)] }] }));
  } else {
    next(error);
  }
}
