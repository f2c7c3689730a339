import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { errorBody } from './error-body';

export interface FieldProblem {
  field: string;
  errors: string[];
}

/** The one shape of every 400: which fields are wrong and why. */
export function badRequest(fields: FieldProblem[]): BadRequestException {
  const message = fields.map((f) => `${f.field}: ${f.errors.join('; ')}`).join(' | ');
  return new BadRequestException(errorBody(400, { code: 'invalid_request', message, fields }));
}

export const fieldError = (field: string, error: string) => badRequest([{ field, errors: [error] }]);

export function fromValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...fromValidationErrors(error.children ?? [], field)];
  });
}
