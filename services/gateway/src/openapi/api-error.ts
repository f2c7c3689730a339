import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { FieldProblem } from '../http/field-error';

@ApiSchema({ name: 'FieldProblem' })
export class FieldProblemDoc implements FieldProblem {
  @ApiProperty({ description: 'The field, header or parameter at fault (`message`, `Last-Event-ID`, `body`…).', example: 'message' })
  field!: string;

  @ApiProperty({ type: [String], example: ['message must not be blank'] })
  errors!: string[];
}

/** The one body of every refusal: a status, a stable `code` for programs, a sentence for people. */
@ApiSchema({ name: 'ApiError' })
export class ApiErrorBody {
  @ApiProperty({ type: 'integer', example: 404 })
  statusCode!: number;

  @ApiProperty({ description: 'The HTTP reason phrase (the error code on a failed sync run).', example: 'Not Found' })
  error!: string;

  @ApiProperty({
    description: 'What went wrong, for programs: `invalid_request`, `missing_credentials`, `run_not_found`, `rate_limited`, `redis_unavailable`…',
    example: 'run_not_found',
  })
  code!: string;

  @ApiProperty({ description: 'What went wrong, for people.', example: 'No run 5b0e (unknown, or expired after its TTL).' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldProblemDoc], description: 'On 400 and 413: every bad field.' })
  fields?: FieldProblemDoc[];

  @ApiPropertyOptional({ enum: ['runs_per_minute', 'active_runs', 'daily_budget_eur'], description: 'On 429: the limit reached.' })
  limit?: string;

  @ApiPropertyOptional({ description: 'On 429: the value of that limit.' })
  limit_value?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'On 429: seconds before a retry may succeed (also `Retry-After`).' })
  retry_after_s?: number;

  @ApiPropertyOptional({ description: 'On 429 `budget_exhausted`: EUR spent today.' })
  spent_eur?: number;

  @ApiPropertyOptional({ description: "On 409 `session_busy`: the session's run still going." })
  active_run_id?: string;

  @ApiPropertyOptional({ description: 'On a run that could not be followed or failed: its id.' })
  run_id?: string;

  @ApiPropertyOptional({ description: 'On a failed sync run: the agent that failed.' })
  node?: string;
}

export type ErrorStatus = 400 | 401 | 404 | 409 | 410 | 413 | 422 | 429 | 503;

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };

/** What each refusal means on any route; a route adds its own sentence with `ApiError`. */
const ERRORS: Record<ErrorStatus, { description: string; headers?: Record<string, { description: string; schema: { type: string } }> }> = {
  400: { description: 'Bad input, every bad field named (`invalid_request`); nothing was done.' },
  401: {
    description: 'Missing or wrong credentials: `missing_credentials`, `invalid_credentials`, `token_expired`.',
    headers: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
  },
  404: { description: 'Not found, or not the caller’s (`run_not_found`, `session_not_found`, `note_not_found`): the same answer.' },
  409: { description: 'Conflicts with the state of the resource.' },
  410: { description: 'Existed, and is no longer kept.' },
  413: { description: `Body larger than the limit (\`payload_too_large\`).` },
  422: { description: 'Well-formed, but cannot be processed.' },
  429: {
    description: 'A per-user limit is reached (`rate_limited` with `limit` `runs_per_minute` or `active_runs`; `budget_exhausted`).',
    headers: RETRY_AFTER,
  },
  503: {
    description: 'Cannot serve it now (`redis_unavailable`, `redis_full`, `shutting_down`); what the route would have done did not happen.',
    headers: RETRY_AFTER,
  },
};

/** Documents refusals with the shared `ApiErrorBody`: `@ApiErrors(400, 404)`, or `[409, 'why']` for a route's own sentence. */
export function ApiErrors(...statuses: (ErrorStatus | [ErrorStatus, string])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, ERRORS[entry].description];
      return ApiResponse({
        status,
        description,
        headers: ERRORS[status].headers,
        content: { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorBody) } } },
      });
    }),
  );
}
