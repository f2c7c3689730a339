import { Module } from '@nestjs/common';
import { AgentFlow } from './flow/agent-flow';
import { FinalizeRunJob } from './jobs/finalize-run.job';
import { RouteMessageJob } from './jobs/route-message.job';
import { CancelCheck } from './routing/cancel-check';
import { IntentRouter } from './routing/intent-router';
import { RoutingRecord } from './routing/routing-record';

@Module({
  controllers: [RouteMessageJob, FinalizeRunJob],
  providers: [AgentFlow, IntentRouter, CancelCheck, RoutingRecord],
})
export class OrchestratorModule {}
