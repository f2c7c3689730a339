import { NotFoundException } from '@nestjs/common';

/** The one shape of every 404: a stable `code` for programs, a sentence for people. */
export function notFound(code: 'run_not_found' | 'session_not_found' | 'note_not_found', message: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'Not Found', code, message });
}
