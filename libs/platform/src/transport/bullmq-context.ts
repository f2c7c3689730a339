import { BaseRpcContext } from '@nestjs/microservices';
import type { Job } from 'bullmq';

/** What a job handler gets besides its payload (`@Ctx()`): the BullMQ job itself. */
export class BullMqContext extends BaseRpcContext<[Job, string | undefined, AbortSignal?]> {
  getJob(): Job {
    return this.args[0];
  }
  getToken(): string | undefined {
    return this.args[1];
  }
  /**
   * Aborted when this worker must stop the job: reason `lock_lost` (another worker took it
   * over) or `shutdown` (the worker hands it back to the queue). Undefined outside a worker.
   */
  getSignal(): AbortSignal | undefined {
    return this.args[2];
  }
}
