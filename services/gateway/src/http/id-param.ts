import { ID_PATTERN } from '@koda/contracts';
import { fieldError } from './field-error';

/** A path id checked before it reaches a Redis key: 400 naming the parameter when malformed. */
export function idParam(name: string, value: string): string {
  if (!ID_PATTERN.test(value)) throw fieldError(name, 'must be 1-128 letters, digits or _ . : -');
  return value;
}
