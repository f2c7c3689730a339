import { NotFoundException } from '@nestjs/common';
import { errorBody } from './error-body';

/** The one shape of every 404: a stable `code` for programs, a sentence for people. */
export function notFound(code: 'run_not_found' | 'session_not_found' | 'note_not_found', message: string): NotFoundException {
  return new NotFoundException(errorBody(404, { code, message }));
}
