import { Module } from '@nestjs/common';
import { Admission } from './admission/admission';
import { Authenticator } from './auth/authenticator';
import { StreamTokens } from './auth/stream-tokens';
import { ChatStreamController } from './chat/chat-stream.controller';
import { ChatSyncController } from './chat/chat-sync.controller';
import { HealthController } from './health/health.controller';
import { HealthProbesController } from './health/health-probes.controller';
import { QueueProbe } from './health/queue-probe';
import { RedisMonitor } from './health/redis-monitor';
import { WorkerPresence } from './health/worker-presence';
import { RequestsInFlight } from './sse/client-presence';
import { GatewayLifecycle } from './lifecycle/gateway-lifecycle';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { RunStreamRelay } from './relay/run-stream-relay';
import { RunCancelController } from './runs/run-cancel.controller';
import { RunCanceller } from './runs/run-canceller.service';
import { RunEventsController } from './runs/run-events.controller';
import { RunStatusController } from './runs/run-status.controller';
import { RunStartReader } from './runs/run-start-reader';
import { RunWatchdog } from './runs/run-watchdog';
import { DeadlineSweep } from './runs/deadline-sweep';
import { RunStarter } from './runs/run-starter.service';
import { IdempotencyKeys } from './runs/idempotency-keys';
import { RunJoiner } from './runs/run-joiner';
import { TurnClaimer } from './runs/turn-claimer';
import { WebhookCheck } from './runs/webhook-check';
import { NotesController } from './notes/notes.controller';
import { NotesImporter } from './notes/notes-importer';
import { SessionDirectory } from './sessions/session-directory';
import { SessionsController } from './sessions/sessions.controller';
import { Heartbeat } from './sse/heartbeat';
import { RedisFullNotice } from './sse/redis-full-notice';
import { RunStreamService } from './sse/run-stream.service';

@Module({
  controllers: [
    ChatStreamController,
    ChatSyncController,
    RunEventsController,
    RunCancelController,
    RunStatusController,
    SessionsController,
    NotesController,
    HealthController,
    HealthProbesController,
    MetricsController,
  ],
  providers: [
    GatewayMetrics,
    RunStreamRelay,
    Heartbeat,
    RunStreamService,
    RunStarter,
    RunCanceller,
    RunStartReader,
    RunWatchdog,
    DeadlineSweep,
    NotesImporter,
    RedisMonitor,
    Authenticator,
    StreamTokens,
    Admission,
    SessionDirectory,
    RedisFullNotice,
    GatewayLifecycle,
    WorkerPresence,
    QueueProbe,
    RequestsInFlight,
    TurnClaimer,
    IdempotencyKeys,
    RunJoiner,
    WebhookCheck,
  ],
})
export class GatewayModule {}
