import { Injectable } from '@nestjs/common';
import { WorkerPresence as Presence } from '@koda/platform';
import { QueueProbe } from './queue-probe';

/**
 * Every queue's worker count, from the queue probe (a `CLIENT LIST` per read): read by
 * `/health`, and by the run starter to tell a stream at once that nobody serves its run yet.
 */
@Injectable()
export class WorkerPresence extends Presence {
  constructor(probe: QueueProbe) {
    super(async () => Object.fromEntries((await probe.sample()).map((s) => [s.queue, s.workers])));
  }
}
