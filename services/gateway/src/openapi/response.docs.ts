import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AGENT_NODES, CHAT_MODES, type AgentNode, type ChatMode, type Note, type SessionMessage, type SessionSummary, type SessionView } from '@koda/contracts';
import type { RunStatus, RunSummary } from '../runs/run-status';
import { ClickableObjectDoc, RunMetricsDoc, RunResultDoc } from './run-event.docs';

/** The JSON bodies the API answers, for its OpenAPI description (each `implements` the answer's type). */

@ApiSchema({ name: 'RunError' })
export class RunErrorDoc {
  @ApiProperty({ example: 'cancelled' })
  code!: string;

  @ApiProperty()
  message!: string;
}

@ApiSchema({ name: 'RunSummary' })
export class RunSummaryDoc implements RunSummary {
  @ApiProperty()
  run_id!: string;

  @ApiProperty()
  session_id!: string;

  @ApiProperty({ enum: CHAT_MODES })
  mode!: ChatMode;

  @ApiProperty()
  message!: string;

  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] })
  status!: RunStatus;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiPropertyOptional({ type: RunResultDoc, description: 'When completed.' })
  result?: RunResultDoc;

  @ApiPropertyOptional({ type: RunErrorDoc, description: 'When failed or cancelled.' })
  error?: RunErrorDoc;
}

@ApiSchema({ name: 'StreamToken' })
export class StreamTokenDoc {
  @ApiProperty()
  run_id!: string;

  @ApiProperty({ description: 'For `GET /api/v1/runs/{run_id}/events?access_token=`, that run only.', example: 'kst_…' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expires_at!: string;
}

@ApiSchema({ name: 'CancelAccepted' })
export class CancelAcceptedDoc {
  @ApiProperty()
  run_id!: string;

  @ApiProperty({ enum: ['cancelling'] })
  status!: 'cancelling';
}

@ApiSchema({ name: 'SessionSummary' })
export class SessionSummaryDoc implements SessionSummary {
  @ApiProperty()
  session_id!: string;

  @ApiProperty({ description: 'The first message, cut to 120 characters.' })
  title!: string;

  @ApiProperty({ format: 'date-time' })
  last_activity!: string;

  @ApiProperty({ type: String, nullable: true, description: 'A run still going, to rejoin.' })
  active_run_id!: string | null;
}

@ApiSchema({ name: 'SessionList' })
export class SessionListDoc {
  @ApiProperty({ type: [SessionSummaryDoc] })
  sessions!: SessionSummaryDoc[];
}

@ApiSchema({ name: 'SessionRuns' })
export class SessionRunsDoc {
  @ApiProperty()
  session_id!: string;

  @ApiProperty({ type: [RunSummaryDoc] })
  runs!: RunSummaryDoc[];
}

@ApiSchema({ name: 'SessionMessage' })
export class SessionMessageDoc implements SessionMessage {
  @ApiProperty({ enum: ['user', 'assistant'] })
  role!: 'user' | 'assistant';

  @ApiProperty()
  content!: string;

  @ApiProperty()
  run_id!: string;

  @ApiProperty()
  timestamp!: string;

  @ApiPropertyOptional({ enum: AGENT_NODES })
  agent?: AgentNode;

  @ApiPropertyOptional({
    enum: ['complete', 'cancelled', 'failed', 'interrupted'],
    description: 'Cancelled, interrupted by a newer message, or failed: `content` is the partial answer.',
  })
  status?: 'complete' | 'cancelled' | 'failed' | 'interrupted';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: "The run's place in the session's acceptance order (the session is folded by it)." })
  seq?: number;

  @ApiPropertyOptional({ type: [ClickableObjectDoc] })
  clickable_objects?: ClickableObjectDoc[];

  @ApiPropertyOptional({ type: RunMetricsDoc })
  metrics?: RunMetricsDoc;
}

@ApiSchema({ name: 'SessionView' })
export class SessionViewDoc implements SessionView {
  @ApiProperty()
  session_id!: string;

  @ApiProperty({ type: [SessionMessageDoc] })
  messages!: SessionMessageDoc[];
}

@ApiSchema({ name: 'Note' })
export class NoteDoc implements Note {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  content!: string;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiPropertyOptional({ description: '`api`, or `file:<path>` for an imported one.' })
  source?: string;

  @ApiPropertyOptional({ description: 'The owner.' })
  user_id?: string;

  @ApiProperty()
  created_at!: string;
}

@ApiSchema({ name: 'NoteList' })
export class NoteListDoc {
  @ApiProperty({ type: [NoteDoc] })
  notes!: NoteDoc[];
}
