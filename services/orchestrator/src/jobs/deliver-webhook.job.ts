import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { UnrecoverableError } from 'bullmq';
import type Redis from 'ioredis';
import { isTerminalEvent, JobName, keys, parseRunEvent, streamEntryJson, type DeliverWebhookPayload, type RunEvent } from '@koda/contracts';
import { BullMqContext, KODA_CONFIG, LOGGER, postWebhook, REDIS, SpanKind, WebhookAddressGuard, withSpan, type KodaConfig, type Logger } from '@koda/platform';

/**
 * Tells a run's `webhook` how it ended: a signed POST of the terminal event. Every attempt is a
 * span of the run's trace; a failed attempt throws, so BullMQ retries it with exponential
 * backoff up to `KODA_WEBHOOK_MAX_ATTEMPTS`. Nothing here can touch the run: it has ended.
 */
@Controller()
export class DeliverWebhookJob {
  private readonly guard: WebhookAddressGuard;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.guard = new WebhookAddressGuard(config.KODA_WEBHOOK_ALLOW_HOSTS);
  }

  @MessagePattern(JobName.DeliverWebhook)
  async handle(@Payload() delivery: DeliverWebhookPayload, @Ctx() ctx: BullMqContext): Promise<{ status: number }> {
    const job = ctx.getJob();
    const attempt = job.attemptsMade + 1;
    const log = this.logger.child({ run_id: delivery.run_id, session_id: delivery.session_id, user_id: delivery.user_id, attempt });
    const secret = this.config.KODA_WEBHOOK_SECRET;
    if (!secret) throw new UnrecoverableError('KODA_WEBHOOK_SECRET is not set: webhooks cannot be signed');
    const terminal = await this.terminalEvent(delivery.run_id);
    if (!terminal) throw new Error('the run has not ended yet'); // retried with backoff
    const body = JSON.stringify({
      id: delivery.run_id,
      type: terminal.type === 'complete' ? 'run.completed' : 'run.failed',
      run_id: delivery.run_id,
      session_id: delivery.session_id,
      event: terminal,
    });
    const attributes = { 'koda.run_id': delivery.run_id, 'koda.attempt': attempt, 'http.request.method': 'POST', 'server.address': new URL(delivery.url).host };
    const outcome = await withSpan(
      'webhook POST',
      { service: 'orchestrator', parent: delivery.traceparent, kind: SpanKind.CLIENT, attributes },
      async (span) => {
        const result = await postWebhook({
          url: delivery.url,
          id: delivery.run_id,
          body,
          secret,
          timeoutMs: this.config.KODA_WEBHOOK_TIMEOUT_MS,
          guard: this.guard,
        });
        if (result.status) span.setAttribute('http.response.status_code', result.status);
        if (!result.ok) throw new Error(result.reason);
        return result;
      },
    ).catch((error: Error) => {
      const last = attempt >= (job.opts.attempts ?? 1);
      log.warn({ err: error, host: new URL(delivery.url).host, last }, last ? 'webhook delivery failed for good' : 'webhook delivery failed; retrying later');
      if (/non-public address/.test(error.message)) throw new UnrecoverableError(error.message);
      throw error;
    });
    log.info({ status: outcome.status, host: new URL(delivery.url).host }, 'webhook delivered');
    return { status: outcome.status };
  }

  private async terminalEvent(runId: string): Promise<RunEvent | null> {
    const [last] = await this.redis.xrevrange(keys.runEvents(this.config.KODA_PREFIX, runId), '+', '-', 'COUNT', 1);
    const parsed = last ? parseRunEvent(streamEntryJson(last[1]) ?? '') : null;
    return parsed?.ok && isTerminalEvent(parsed.event) ? parsed.event : null;
  }
}
