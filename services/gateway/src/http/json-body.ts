import express, { type NextFunction, type Request, type Response } from 'express';
import { LIMITS } from '@koda/contracts';
import { errorBody } from './error-body';
import { checkJsonShape } from './json-shape';

/** Parses JSON bodies up to the documented size, depth and key-count limits. */
export const jsonBody = express.json({ limit: LIMITS.bodyMaxBytes, verify: (_req, _res, buf) => checkJsonShape(buf) });

/** Turns body-parser failures into the same JSON error shape as validation errors. */
export function jsonBodyErrors(error: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction): void {
  if (error.type === 'entity.too.large') refuseBody(res, 413, 'payload_too_large', `larger than ${LIMITS.bodyMaxBytes} bytes`);
  else if (error.type === 'entity.shape.refused') refuseBody(res, 400, 'invalid_request', String(error.message));
  else if (error.type === 'entity.parse.failed') refuseBody(res, 400, 'invalid_request', `malformed JSON: ${error.message}`);
  else if (error.status && error.status >= 400 && error.status < 500) refuseBody(res, error.status, 'invalid_request', String(error.message));
  else next(error);
}

/** One refusal of the body, the field named `body`, as every 4xx names its field. */
function refuseBody(res: Response, status: number, code: string, problem: string): void {
  res.status(status).json(errorBody(status, { code, message: `body: ${problem}`, fields: [{ field: 'body', errors: [problem] }] }));
}
