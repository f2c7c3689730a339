import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StreamTokens } from '../auth/stream-tokens';
import { CurrentUser } from '../auth/request-user';
import { idParam } from '../http/id-param';
import { notFound } from '../http/not-found';
import { ApiErrors } from '../openapi/api-error';
import { ApiRunId } from '../openapi/id-params';
import { RunSummaryDoc, StreamTokenDoc } from '../openapi/response.docs';
import { RunStartReader } from './run-start-reader';
import type { RunSummary } from './run-status';

@ApiTags('runs')
@Controller('api/v1/runs')
export class RunStatusController {
  constructor(
    private readonly starts: RunStartReader,
    private readonly tokens: StreamTokens,
  ) {}

  /** A short-lived token letting a plain EventSource follow this run: `GET …/events?access_token=`. */
  @Post(':run_id/stream-token')
  @HttpCode(201)
  @ApiOperation({ summary: 'Mint a 60 s token to follow this run with a plain EventSource' })
  @ApiRunId()
  @ApiCreatedResponse({ type: StreamTokenDoc })
  @ApiErrors(400, 401, 404, 503)
  async streamToken(@Param('run_id') runIdParam: string, @CurrentUser() user: string): Promise<{ run_id: string; token: string; expires_at: string }> {
    const runId = idParam('run_id', runIdParam);
    if (!(await this.starts.read(runId, user))) throw notFound('run_not_found', `No run ${runId} (unknown, or expired after its TTL).`);
    return { run_id: runId, ...(await this.tokens.mint(runId, user)) };
  }

  /** Where one of the caller's runs stands: status, result or error, timestamps. Another user's run: 404. */
  @Get(':run_id')
  @ApiOperation({ summary: 'Where a run stands: status, result or error, timestamps' })
  @ApiRunId()
  @ApiOkResponse({ type: RunSummaryDoc })
  @ApiErrors(400, 401, 404, 503)
  async run(@Param('run_id') runIdParam: string, @CurrentUser() user: string): Promise<RunSummary> {
    const runId = idParam('run_id', runIdParam);
    const summary = await this.starts.summary(runId, user);
    if (!summary) throw notFound('run_not_found', `No run ${runId} (unknown, or expired after its TTL).`);
    return summary;
  }
}
