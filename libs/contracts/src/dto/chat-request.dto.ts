import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateBy } from 'class-validator';
import { chatModes, isChatMode } from '../agent-registry';
import type { ChatMode } from '../agent-table';
import { MULTITASK_STRATEGIES, type MultitaskStrategy } from '../events';
import { LIMITS } from '../limits';

/** Text a person typed: anything but C0 control characters other than tab, CR and LF, and DEL. */
// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

export class ChatRequestDto {
  @IsString()
  @Matches(/\S/, { message: 'message must not be blank' })
  @Matches(NO_CONTROL_CHARACTERS, { message: 'message must not contain control characters (tab and newlines are fine)' })
  @MaxLength(LIMITS.messageMaxChars)
  message!: string;

  @IsOptional()
  // Read from the agent table when validating, so an agent registered at run time is accepted.
  @ValidateBy({ name: 'isChatMode', validator: { validate: isChatMode, defaultMessage: () => `mode must be one of: ${chatModes().join(', ')}` } })
  mode?: ChatMode;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.sessionIdMaxChars)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'session_id may only hold letters, digits and _ . : -' })
  session_id?: string;

  /** What happens if the session has a run going (default `KODA_MULTITASK_DEFAULT`); see README, "Double-texting". */
  @IsOptional()
  @IsIn(MULTITASK_STRATEGIES as unknown as string[], { message: `multitask_strategy must be one of: ${MULTITASK_STRATEGIES.join(', ')}` })
  multitask_strategy?: MultitaskStrategy;

  /** An http(s) URL told how the run ended (a signed POST; see README, "Completion webhooks"). */
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.webhookUrlMaxChars)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'webhook must be an http:// or https:// URL' })
  webhook?: string;
}
