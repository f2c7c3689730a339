import { Controller, Get, Headers, HttpStatus, Param, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { parseStreamId } from '@koda/contracts';
import { CurrentUser } from '../auth/request-user';
import { ApiErrors } from '../openapi/api-error';
import { ApiEventStream, ApiLastEventId } from '../openapi/event-stream';
import { ApiRunId } from '../openapi/id-params';
import { fieldError } from '../http/field-error';
import { idParam } from '../http/id-param';
import { notFound } from '../http/not-found';
import { singleQueryParam } from '../http/query-param';
import { presenceOf } from '../sse/client-presence';
import { RunStreamService } from '../sse/run-stream.service';
import { RunStartReader } from './run-start-reader';

@ApiTags('runs')
@Controller('api/v1/runs')
export class RunEventsController {
  constructor(
    private readonly starts: RunStartReader,
    private readonly streams: RunStreamService,
  ) {}

  /**
   * Joins a run's stream from the start, or after `Last-Event-ID` (header) / `last_event_id`
   * (query). Malformed id → 400; at or past the end of a finished run → 204 (an EventSource
   * stops); not an entry of this run → a `reset` event, then the whole run; unknown run → 404.
   */
  @Get(':run_id/events')
  @ApiOperation({
    summary: 'Join a run’s stream, or resume it',
    description:
      'From the start, or after `Last-Event-ID` (header) / `last_event_id` (query). An id that is not an entry of this run: a `reset` event, then the whole run.',
  })
  @ApiRunId()
  @ApiLastEventId()
  @ApiQuery({ name: 'last_event_id', required: false, description: 'As the `Last-Event-ID` header (the header wins).' })
  @ApiQuery({
    name: 'access_token',
    required: false,
    description: 'A stream token from `POST /api/v1/runs/{run_id}/stream-token`, for a plain EventSource (instead of the header).',
  })
  @ApiEventStream(200, 'The run’s events.')
  @ApiNoContentResponse({ description: 'The id is the run’s terminal event or later: nothing more will come (an EventSource stops).' })
  @ApiErrors(400, 401, 404, 503)
  async events(
    @Param('run_id') runIdParam: string,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @Query('last_event_id') lastEventQuery: unknown,
    @Res() res: Response,
    @CurrentUser() user: string,
  ): Promise<void> {
    const presence = presenceOf(res);
    const runId = idParam('run_id', runIdParam);
    const { field, raw } = lastEventHeader
      ? { field: 'Last-Event-ID', raw: lastEventHeader }
      : { field: 'last_event_id', raw: singleQueryParam('last_event_id', lastEventQuery) };
    const afterId = raw ? parseStreamId(raw) : undefined;
    if (afterId === null) throw fieldError(field, 'must be an event id such as 1732672000000-0 (two unsigned 64-bit integers)');
    const point = await this.starts.locate(runId, afterId, user);
    switch (point.kind) {
      case 'unknown':
        throw notFound('run_not_found', `No run ${runId} (unknown, or expired after its TTL).`);
      case 'ended':
        res.status(HttpStatus.NO_CONTENT).end();
        return;
      case 'reset':
        this.streams.pipe(presence, res, point.start, { reset: { reason: point.reason, last_event_id: afterId! } });
        return;
      case 'from':
        this.streams.pipe(presence, res, point.start, { afterId: point.afterId });
    }
  }
}
