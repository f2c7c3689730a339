import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ChatRequestDto } from '@koda/contracts';
import { RunStarter } from '../runs/run-starter.service';
import { RunStreamService } from '../sse/run-stream.service';

@Controller('api/v1/chat/orchestrated')
export class ChatStreamController {
  constructor(
    private readonly runs: RunStarter,
    private readonly streams: RunStreamService,
  ) {}

  /** Starts a run and answers its events as SSE; the `start` event is written at once. */
  @Post('stream')
  async stream(@Body() body: ChatRequestDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { run, start } = await this.runs.start(body);
    res.setHeader('X-Run-Id', run.run_id);
    res.setHeader('X-Session-Id', run.session_id);
    this.streams.pipe(req, res, start.event, undefined, start);
  }
}
