import { Module } from '@nestjs/common';
import { AgentFlow } from './flow/agent-flow';
import { DeliverWebhookJob } from './jobs/deliver-webhook.job';
import { FinalizeRunJob } from './jobs/finalize-run.job';
import { RouteMessageJob } from './jobs/route-message.job';
import { CancelCheck } from './routing/cancel-check';
import { IntentRouter } from './routing/intent-router';
import { RoutingRecord } from './routing/routing-record';
import { SessionTurnWait } from './routing/session-turn-wait';

@Module({
  controllers: [RouteMessageJob, FinalizeRunJob, DeliverWebhookJob],
  providers: [AgentFlow, IntentRouter, CancelCheck, RoutingRecord, SessionTurnWait],
})
export class OrchestratorModule {}
