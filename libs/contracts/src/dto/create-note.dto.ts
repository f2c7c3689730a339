import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LIMITS } from '../limits';

export class CreateNoteDto {
  @ApiProperty({ description: 'Not blank.', minLength: 1, maxLength: LIMITS.noteTitleMaxChars, example: 'Apprendre le japonais' })
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(LIMITS.noteTitleMaxChars)
  title!: string;

  @ApiProperty({
    description: 'Markdown; not blank.',
    minLength: 1,
    maxLength: LIMITS.noteContentMaxChars,
    example: 'Objectif : tenir une conversation simple…',
  })
  @IsString()
  @Matches(/\S/, { message: 'content must not be blank' })
  @MaxLength(LIMITS.noteContentMaxChars)
  content!: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: LIMITS.noteTagsMax,
    description: `Each at most ${LIMITS.noteTagMaxChars} characters.`,
    example: ['langues', 'japonais'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.noteTagsMax)
  @IsString({ each: true })
  @MaxLength(LIMITS.noteTagMaxChars, { each: true })
  tags?: string[];
}
