import { Module } from '@nestjs/common';
import { AgentDispatch } from './flow/agent-dispatch';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job';
import { RouteMessageJob } from './jobs/route-message.job';
import { CancelCheck } from './routing/cancel-check';
import { IntentRouter } from './routing/intent-router';
import { RoutingRecord } from './routing/routing-record';
import { SessionTurnWait } from './routing/session-turn-wait';

@Module({
  controllers: [RouteMessageJob, DeliverWebhookJob],
  providers: [AgentDispatch, IntentRouter, CancelCheck, RoutingRecord, SessionTurnWait],
})
export class OrchestratorModule {}
