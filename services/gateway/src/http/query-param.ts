import type { NextFunction, Request, Response } from 'express';
import { fieldError } from './field-error';

/**
 * A query parameter as one string: Express turns `?a=1&a=2` and `?a[]=1` into arrays or
 * objects, which no KODA route accepts (a 400 naming the parameter, not a 500 later on).
 */
export function singleQueryParam(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw fieldError(name, 'must be given once, as a plain value');
  return value;
}

/**
 * Middleware: refuses bracketed query keys (`?last_event_id[]=…`, `?a[b]=…`), which some
 * clients send for arrays and objects and which no KODA route takes; 400 naming the key.
 */
export function refuseStructuredQuery(req: Request, res: Response, next: NextFunction): void {
  const query = req.url.indexOf('?');
  if (query === -1) return next();
  for (const pair of req.url.slice(query + 1).split('&')) {
    const key = safeDecode(pair.split('=')[0]);
    if (!key.includes('[') && !key.includes(']')) continue;
    res.status(400).json(fieldError(key, 'arrays and objects are not accepted in the query string').getResponse());
    return;
  }
  next();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
