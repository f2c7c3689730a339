import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateBy } from 'class-validator';
import { chatModes, isChatMode } from '../agent-registry';
import { CHAT_MODES, type ChatMode } from '../agent-table';
import { MULTITASK_STRATEGIES, type MultitaskStrategy } from '../events';
import { LIMITS } from '../limits';

/** Text a person typed: anything but C0 control characters other than tab, CR and LF, and DEL. */
// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

export class ChatRequestDto {
  @ApiProperty({
    description: 'What the user says: not blank, no control characters but tab and newlines.',
    minLength: 1,
    maxLength: LIMITS.messageMaxChars,
    example: 'Reformule : la réunion de lundi est déplacée à mardi',
  })
  @IsString()
  @Matches(/\S/, { message: 'message must not be blank' })
  @Matches(NO_CONTROL_CHARACTERS, { message: 'message must not contain control characters (tab and newlines are fine)' })
  @MaxLength(LIMITS.messageMaxChars)
  message!: string;

  @ApiPropertyOptional({ description: 'Who answers; `auto` classifies the message and routes it.', enum: CHAT_MODES, default: 'auto', example: 'plume' })
  @IsOptional()
  // Read from the agent table when validating, so an agent registered at run time is accepted.
  @ValidateBy({ name: 'isChatMode', validator: { validate: isChatMode, defaultMessage: () => `mode must be one of: ${chatModes().join(', ')}` } })
  mode?: ChatMode;

  @ApiPropertyOptional({
    description: "The conversation to continue (the caller's own; a new id starts one). Absent: a new session.",
    minLength: 1,
    maxLength: LIMITS.sessionIdMaxChars,
    pattern: '^[A-Za-z0-9_.:-]+$',
    example: 'default',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.sessionIdMaxChars)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'session_id may only hold letters, digits and _ . : -' })
  session_id?: string;

  /** What happens if the session has a run going (default `KODA_MULTITASK_DEFAULT`); see README, "Double-texting". */
  @ApiPropertyOptional({
    description:
      'What this message does if its session has a run going: refuse it (409), queue it, or stop the active run first keeping (interrupt) or removing (rollback) its exchange. Default: KODA_MULTITASK_DEFAULT (reject).',
    enum: MULTITASK_STRATEGIES,
    example: 'enqueue',
  })
  @IsOptional()
  @IsIn(MULTITASK_STRATEGIES, { message: `multitask_strategy must be one of: ${MULTITASK_STRATEGIES.join(', ')}` })
  multitask_strategy?: MultitaskStrategy;

  /** An http(s) URL told how the run ended (a signed POST; see README, "Completion webhooks"). */
  @ApiPropertyOptional({
    description:
      'Receives a signed POST when the run ends (X-Koda-Signature, X-Koda-Webhook-Id). Private addresses are refused unless KODA_WEBHOOK_ALLOW_HOSTS allows them.',
    format: 'uri',
    maxLength: LIMITS.webhookUrlMaxChars,
    example: 'https://hooks.example.org/koda',
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.webhookUrlMaxChars)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'webhook must be an http:// or https:// URL' })
  webhook?: string;
}
