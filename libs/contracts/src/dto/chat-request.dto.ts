import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CHAT_MODES, type ChatMode } from '../events';
import { LIMITS } from '../limits';

export class ChatRequestDto {
  @IsString()
  @Matches(/\S/, { message: 'message must not be blank' })
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
}
