import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChatRequestDto, type ErrorCode, type RunEvent, type StartEvent } from '@koda/contracts';
import { answerUnavailable } from '../http/unavailable';
import { RunStreamRelay } from '../relay/run-stream-relay';
import { CurrentUser } from '../auth/request-user';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKeys } from '../runs/idempotency-keys';
import { ApiErrorBody, ApiErrors } from '../openapi/api-error';
import { RunResultDoc } from '../openapi/run-event.docs';
import { RunStarter } from '../runs/run-starter.service';
import { RunWatchdog } from '../runs/run-watchdog';
import { presenceOf, type ClientPresence } from '../sse/client-presence';
import { GatewayLifecycle } from '../lifecycle/gateway-lifecycle';

const STATUS_OF_ERROR: Partial<Record<ErrorCode, number>> = { cancelled: 409, interrupted: 409, timeout: 504, redis_full: 503, shutting_down: 503 };
/** After a relay fault, the wait re-subscribes this much later (it only needs the terminal event). */
const RESUBSCRIBE_MS = 250;

@ApiTags('chat')
@Controller('api/v1/chat/orchestrated')
export class ChatSyncController {
  constructor(
    private readonly runs: RunStarter,
    private readonly relay: RunStreamRelay,
    private readonly watchdog: RunWatchdog,
    private readonly lifecycle: GatewayLifecycle,
  ) {}

  /**
   * Starts a run, waits for its end, answers the `complete` result (or the fatal error) as JSON.
   * A retry with the same `Idempotency-Key` answers the first request's run.
   */
  @Post()
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start a run and wait for its result',
    description:
      'Answers the `complete` event’s result as JSON, or the fatal error. A retry with the same `Idempotency-Key` answers the first run (`Idempotent-Replayed: true`).',
  })
  @ApiOkResponse({ type: RunResultDoc })
  @ApiErrors(
    400,
    401,
    413,
    [422, 'This `Idempotency-Key` was used with another body (`idempotency_key_reused`).'],
    429,
    [
      409,
      'The session has a run going under `reject` (`session_busy`, with `active_run_id`), or the run was cancelled or interrupted (`cancelled`, `interrupted`), or the first request with this `Idempotency-Key` is still starting its run (`idempotency_in_progress`).',
    ],
    [410, 'The run this `Idempotency-Key` started has ended and its events are no longer kept (`idempotency_run_gone`); use a new key.'],
    [503, 'Cannot start now, or the run could not be followed to its end (`shutting_down`, `redis_full`…): what was started goes on.'],
  )
  @ApiResponse({
    status: 502,
    description: 'The run failed (the error event’s `code`: `agent_failed`, `llm_overloaded`…).',
    content: { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorBody) } } },
  })
  @ApiResponse({
    status: 504,
    description: 'The run passed its deadline (`timeout`).',
    content: { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorBody) } } },
  })
  async chat(
    @Body() body: ChatRequestDto,
    @Res() res: Response,
    @CurrentUser() user: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<void> {
    const presence = presenceOf(res);
    const { start, replayed } = await this.runs.start(body, user, IdempotencyKeys.parse(idempotencyKey));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    this.awaitEnd(presence, res, start.event, start.id);
  }

  private awaitEnd(presence: ClientPresence, res: Response, start: StartEvent, afterId: string): void {
    if (presence.isGone) return;
    let terminal: RunEvent | null = null;
    const unwatch = this.watchdog.watch(start);
    const unsubscribe = this.relay.subscribe(start.run_id, afterId, {
      onEntry: (entry) => entry.terminal && (terminal = entry.event),
      onEnd: () => respond(res, terminal),
      onAbort: () => {
        if (this.lifecycle.draining) return respondDraining(res, start.run_id);
        setTimeout(() => this.awaitEnd(presence, res, start, afterId), RESUBSCRIBE_MS).unref();
      },
    });
    presence.onGone(() => {
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
    const status = STATUS_OF_ERROR[code] ?? 502;
    res.status(status).json({ statusCode: status, error: code, code, message, node, run_id });
  }
}

function respondDraining(res: Response, runId: string): void {
  if (res.headersSent) return;
  answerUnavailable(
    res,
    'shutting_down',
    `This gateway is shutting down; the run ${runId} goes on. Follow it with GET /api/v1/runs/${runId}/events on another replica.`,
    { run_id: runId },
  );
}
