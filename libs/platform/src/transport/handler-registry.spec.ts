import { agentJob, JobName, QueueName } from '@koda/contracts';
import { assertHandlersComplete } from './handler-registry';

describe('job handler completeness', () => {
  const counts = (entries: [string, number][]) => new Map(entries);
  const plume = agentJob('plume');
  const mimir = agentJob('mimir');

  it('accepts exactly one handler per job of the served queues', () => {
    expect(() =>
      assertHandlersComplete(
        [QueueName.Orchestrator],
        counts([
          [JobName.RouteMessage, 1],
          [JobName.DeliverWebhook, 1],
        ]),
      ),
    ).not.toThrow();
  });
  it('refuses a job with no handler', () => {
    expect(() => assertHandlersComplete([QueueName.Orchestrator], counts([[JobName.RouteMessage, 1]]))).toThrow(/deliver-webhook" has 0 handlers/);
  });
  it('refuses a job with two handlers', () => {
    expect(() => assertHandlersComplete([plume.queue], counts([[plume.job, 2]]))).toThrow(/plume-answer" has 2 handlers/);
  });
  it('refuses a handler for a job no served queue carries', () => {
    expect(() =>
      assertHandlersComplete(
        [plume.queue],
        counts([
          [plume.job, 1],
          [mimir.job, 1],
        ]),
      ),
    ).toThrow(/answers no job/);
  });
});
