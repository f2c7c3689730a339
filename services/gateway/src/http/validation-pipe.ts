import { ValidationPipe } from '@nestjs/common';
import { badRequest, fromValidationErrors } from './field-error';

/** Validates every body against its DTO; unknown fields are dropped, bad ones named in a 400. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => badRequest(fromValidationErrors(errors)),
  });
}
