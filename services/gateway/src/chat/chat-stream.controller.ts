import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChatRequestDto } from '@koda/contracts';
import { CurrentUser } from '../auth/request-user';
import { ApiErrors } from '../openapi/api-error';
import { ApiEventStream } from '../openapi/event-stream';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKeys } from '../runs/idempotency-keys';
import { RunStarter } from '../runs/run-starter.service';
import { presenceOf } from '../sse/client-presence';
import { RunStreamService } from '../sse/run-stream.service';

@ApiTags('chat')
@Controller('api/v1/chat/orchestrated')
export class ChatStreamController {
  constructor(
    private readonly runs: RunStarter,
    private readonly streams: RunStreamService,
  ) {}

  /**
   * Starts a run and answers its events as SSE; the `start` event is written at once. A retry
   * with the same `Idempotency-Key` follows the first request's run from its start.
   */
  @Post('stream')
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOperation({
    summary: 'Start a run and stream its events',
    description:
      'The `start` event is written at once; `routing` (auto only), `queued`, `processing`, `token`… follow. A retry with the same `Idempotency-Key` follows the first run from its start (`Idempotent-Replayed: true`).',
  })
  @ApiEventStream(200, 'The new run, as SSE.', { 'X-Run-Id': 'The run id (to resume, cancel, read its status).', 'X-Session-Id': 'The session id.' })
  @ApiErrors(
    400,
    401,
    [
      409,
      'The session has a run going and the strategy is `reject` (`session_busy`, with `active_run_id`); nothing was started. Or the first request with this `Idempotency-Key` is still starting its run (`idempotency_in_progress`, `Retry-After`).',
    ],
    [410, 'The run this `Idempotency-Key` started has ended and its events are no longer kept (`idempotency_run_gone`); use a new key.'],
    413,
    [422, 'This `Idempotency-Key` was used with another body (`idempotency_key_reused`).'],
    429,
    503,
  )
  async stream(
    @Body() body: ChatRequestDto,
    @Res() res: Response,
    @CurrentUser() user: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<void> {
    const presence = presenceOf(res);
    const { run, start, replayed } = await this.runs.start(body, user, IdempotencyKeys.parse(idempotencyKey));
    // A client gone by now still started a run (it can join it by id); nothing is registered for it.
    if (presence.isGone) return;
    res.setHeader('X-Run-Id', run.run_id);
    res.setHeader('X-Session-Id', run.session_id);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    this.streams.pipe(presence, res, start.event, { first: start });
  }
}
