export { bootstrapGateway } from './bootstrap';
// For tests and the soak: the parts whose counts must go back to zero after hang-ups.
export { RunStreamRelay } from './relay/run-stream-relay';
export { RunStreamService } from './sse/run-stream.service';
export { Heartbeat } from './sse/heartbeat';
export { RunWatchdog } from './runs/run-watchdog';
export { DeadlineSweep } from './runs/deadline-sweep';
export { GatewayMetrics } from './metrics/gateway-metrics';
