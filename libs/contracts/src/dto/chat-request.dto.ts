import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { CHAT_MODES, MULTITASK_STRATEGIES, type ChatMode, type MultitaskStrategy } from '../events';
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
  @IsIn(CHAT_MODES as unknown as string[], { message: `mode must be one of: ${CHAT_MODES.join(', ')}` })
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
