import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser } from '../auth/request-user';
import { idParam } from '../http/id-param';
import { RunCanceller } from './run-canceller.service';

@Controller('api/v1/runs')
export class RunCancelController {
  constructor(private readonly canceller: RunCanceller) {}

  /** Stops the run wherever it is; its stream ends with a fatal `cancelled` error. 404 unknown, 409 ended. */
  @Post(':run_id/cancel')
  @HttpCode(202)
  cancel(@Param('run_id') runId: string, @CurrentUser() user: string) {
    return this.canceller.cancel(idParam('run_id', runId), user);
  }
}
