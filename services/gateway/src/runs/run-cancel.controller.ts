import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/request-user';
import { idParam } from '../http/id-param';
import { ApiErrors } from '../openapi/api-error';
import { ApiRunId } from '../openapi/id-params';
import { CancelAcceptedDoc } from '../openapi/response.docs';
import { RunCanceller } from './run-canceller.service';

@ApiTags('runs')
@Controller('api/v1/runs')
export class RunCancelController {
  constructor(private readonly canceller: RunCanceller) {}

  /** Stops the run wherever it is; its stream ends with a fatal `cancelled` error. 404 unknown, 409 ended. */
  @Post(':run_id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel a run', description: 'Its stream ends with a fatal `cancelled` error.' })
  @ApiRunId()
  @ApiAcceptedResponse({ type: CancelAcceptedDoc })
  @ApiErrors(400, 401, 404, [409, 'The run has already ended (`run_ended`).'], 503)
  cancel(@Param('run_id') runId: string, @CurrentUser() user: string) {
    return this.canceller.cancel(idParam('run_id', runId), user);
  }
}
