import { Inject, Injectable } from '@nestjs/common';
import type { RouteMessagePayload } from '@koda/contracts';
import { KODA_CONFIG, RunEventLog, WebhookAddressGuard, WebhookRefused, type KodaConfig } from '@koda/platform';
import { fieldError } from '../http/field-error';

/** A request's `webhook`: refused at POST time (400) when it may not be sent; armed with the run otherwise. */
@Injectable()
export class WebhookCheck {
  private readonly guard: WebhookAddressGuard;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    private readonly log: RunEventLog,
  ) {
    this.guard = new WebhookAddressGuard(config.KODA_WEBHOOK_ALLOW_HOSTS);
  }

  async check(url: string): Promise<void> {
    if (!this.config.KODA_WEBHOOK_SECRET) throw fieldError('webhook', 'this deployment sends no webhooks (KODA_WEBHOOK_SECRET is not set)');
    try {
      await this.guard.check(url);
    } catch (error) {
      if (error instanceof WebhookRefused) throw fieldError('webhook', `refused: ${error.message}`);
      throw error;
    }
  }

  /** The delivery job, waiting for the run to end (see `WebhookTrigger`). */
  async arm(run: RouteMessagePayload, url: string): Promise<void> {
    const { run_id, session_id, user_id, traceparent } = run;
    await this.log.webhooks.arm({ run_id, session_id, user_id, url, ...(traceparent ? { traceparent } : {}) }, run.deadline_at, {
      attempts: this.config.KODA_WEBHOOK_MAX_ATTEMPTS,
      backoffMs: this.config.KODA_WEBHOOK_BACKOFF_MS,
    });
  }
}
