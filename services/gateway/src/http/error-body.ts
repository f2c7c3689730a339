import { STATUS_CODES } from 'http';

/**
 * The one JSON shape of every error the gateway answers: Nest's `statusCode` and `error` (the
 * status's reason phrase, never typed by hand), then what the caller adds, in its order
 * (`code`, `message`, `fields`, the limit that was hit...).
 */
export function errorBody<T extends object>(status: number, rest: T): { statusCode: number; error: string } & T {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', ...rest };
}
