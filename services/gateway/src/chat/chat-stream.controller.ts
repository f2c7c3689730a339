import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChatRequestDto } from '@koda/contracts';
import { CurrentUser } from '../auth/request-user';
import { ApiErrors } from '../openapi/api-error';
import { ApiEventStream } from '../openapi/event-stream';
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

  /** Starts a run and answers its events as SSE; the `start` event is written at once. */
  @Post('stream')
  @ApiOperation({ summary: 'Start a run and stream its events', description: 'The `start` event is written at once; `routing` (auto only), `processing`, `token`… follow.' })
  @ApiEventStream(200, 'The new run, as SSE.', { 'X-Run-Id': 'The run id (to resume, cancel, read its status).', 'X-Session-Id': 'The session id.' })
  @ApiErrors(400, 401, 413, 429, 503)
  async stream(@Body() body: ChatRequestDto, @Res() res: Response, @CurrentUser() user: string): Promise<void> {
    const presence = presenceOf(res);
    const { run, start } = await this.runs.start(body, user);
    // A client gone by now still started a run (it can join it by id); nothing is registered for it.
    if (presence.isGone) return;
    res.setHeader('X-Run-Id', run.run_id);
    res.setHeader('X-Session-Id', run.session_id);
    this.streams.pipe(presence, res, start.event, { first: start });
  }
}
