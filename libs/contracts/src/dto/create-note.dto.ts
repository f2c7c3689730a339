import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LIMITS } from '../limits';

export class CreateNoteDto {
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(LIMITS.noteTitleMaxChars)
  title!: string;

  @IsString()
  @Matches(/\S/, { message: 'content must not be blank' })
  @MaxLength(LIMITS.noteContentMaxChars)
  content!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.noteTagsMax)
  @IsString({ each: true })
  @MaxLength(LIMITS.noteTagMaxChars, { each: true })
  tags?: string[];
}
