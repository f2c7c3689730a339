import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ChatRequestDto, type ErrorCode, type RunEvent } from '@koda/contracts';
import { RunStreamRelay } from '../relay/run-stream-relay';
import { RunStarter } from '../runs/run-starter.service';
import { RunWatchdog } from '../runs/run-watchdog';

const STATUS_OF_ERROR: Partial<Record<ErrorCode, number>> = { cancelled: 409, timeout: 504 };

@Controller('api/v1/chat/orchestrated')
export class ChatSyncController {
  constructor(
    private readonly runs: RunStarter,
    private readonly relay: RunStreamRelay,
    private readonly watchdog: RunWatchdog,
  ) {}

  /** Starts a run, waits for its end, answers the `complete` result (or the fatal error) as JSON. */
  @Post()
  @HttpCode(200)
  async chat(@Body() body: ChatRequestDto, @Res() res: Response): Promise<void> {
    const { run, start } = await this.runs.start(body);
    let terminal: RunEvent | null = null;
    const unwatch = this.watchdog.watch(start.event);
    const unsubscribe = this.relay.subscribe(run.run_id, start.id, {
      onEntry: (entry) => entry.terminal && (terminal = entry.event),
      onEnd: () => respond(res, terminal),
    });
    res.once('close', () => {
      unsubscribe();
      unwatch();
    });
  }
}

function respond(res: Response, terminal: RunEvent | null): void {
  if (res.headersSent) return;
  if (terminal?.type === 'complete') {
    res.status(200).json(terminal.result);
  } else if (terminal?.type === 'error') {
    const { code, message, node, run_id } = terminal;
    res.status(STATUS_OF_ERROR[code] ?? 502).json({ statusCode: STATUS_OF_ERROR[code] ?? 502, error: code, message, node, run_id });
  }
}
