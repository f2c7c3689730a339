import { Controller, Get, Headers, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { fieldError } from '../http/field-error';
import { STREAM_ID } from '../relay/stream-ids';
import { RunStreamService } from '../sse/run-stream.service';
import { RunStartReader } from './run-start-reader';

@Controller('api/v1/runs')
export class RunEventsController {
  constructor(
    private readonly starts: RunStartReader,
    private readonly streams: RunStreamService,
  ) {}

  /** Joins a run's stream from the start, or after `Last-Event-ID` (header) / `last_event_id` (query). */
  @Get(':run_id/events')
  async events(
    @Param('run_id') runId: string,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @Query('last_event_id') lastEventQuery: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const afterId = lastEventHeader || lastEventQuery || undefined;
    if (afterId && !STREAM_ID.test(afterId)) {
      throw fieldError(lastEventHeader ? 'Last-Event-ID' : 'last_event_id', 'must be an event id such as 1732672000000-0');
    }
    const start = await this.starts.read(runId);
    if (!start) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No run ${runId} (unknown, or expired after its TTL).` });
    this.streams.pipe(req, res, start, afterId);
  }
}
