import { BaseRpcContext } from '@nestjs/microservices';
import type { Job } from 'bullmq';

/** What a job handler gets besides its payload (`@Ctx()`): the BullMQ job itself. */
export class BullMqContext extends BaseRpcContext<[Job, string | undefined]> {
  getJob(): Job {
    return this.args[0];
  }
  getToken(): string | undefined {
    return this.args[1];
  }
}
