import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CHAT_MODES, type ChatMode } from '../events';
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
  @IsIn(CHAT_MODES, { message: `mode must be one of: ${CHAT_MODES.join(', ')}` })
  mode?: ChatMode;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.sessionIdMaxChars)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'session_id may only hold letters, digits and _ . : -' })
  session_id?: string;
}
