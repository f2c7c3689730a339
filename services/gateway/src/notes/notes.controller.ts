import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { CreateNoteDto, LOCAL_USER, type Note } from '@koda/contracts';
import { appendNote, readAllNotes, removeNote } from '@koda/notes';
import { KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger } from '@koda/platform';
import { CurrentUser } from '../auth/request-user';
import { idParam } from '../http/id-param';
import { notFound } from '../http/not-found';
import { ApiErrors } from '../openapi/api-error';
import { ApiNoteId } from '../openapi/id-params';
import { NoteDoc, NoteListDoc } from '../openapi/response.docs';

/** Mimir's corpus. Writes go to the notes log; every Mimir replica folds it into its index. */
@ApiTags('notes')
@Controller('api/v1/notes')
export class NotesController {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s notes' })
  @ApiOkResponse({ type: NoteListDoc })
  @ApiErrors(401, 503)
  async list(@CurrentUser() user: string): Promise<{ notes: Note[] }> {
    return { notes: await this.all(user) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One note' })
  @ApiNoteId()
  @ApiOkResponse({ type: NoteDoc })
  @ApiErrors(400, 401, 404, 503)
  async one(@Param('id') idText: string, @CurrentUser() user: string): Promise<Note> {
    const id = idParam('id', idText);
    const note = (await this.all(user)).find((n) => n.id === id);
    if (!note) throw notFound('note_not_found', `No note ${id}.`);
    return note;
  }

  @Post()
  @ApiOperation({ summary: 'Add a note to Mimir’s corpus' })
  @ApiCreatedResponse({ type: NoteDoc })
  @ApiErrors(400, 401, 413, 503)
  async create(@Body() body: CreateNoteDto, @CurrentUser() user: string): Promise<Note> {
    const note: Note = {
      id: randomUUID(),
      title: body.title.trim(),
      content: body.content,
      tags: body.tags ?? [],
      source: 'api',
      created_at: new Date().toISOString(),
      user_id: user,
    };
    await appendNote(this.redis, this.config.KODA_PREFIX, note);
    this.logger.info({ note_id: note.id, user_id: user }, 'note added');
    return note;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a note' })
  @ApiNoteId()
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiErrors(400, 401, 404, 503)
  async remove(@Param('id') id: string, @CurrentUser() user: string): Promise<void> {
    await this.one(id, user);
    await removeNote(this.redis, this.config.KODA_PREFIX, id);
    this.logger.info({ note_id: id, user_id: user }, 'note removed');
  }

  /** The notes `user` owns (a note without owner is the local user's); others' are invisible. */
  private async all(user: string): Promise<Note[]> {
    const notes = await readAllNotes(this.redis, this.config.KODA_PREFIX, this.logger);
    return notes.filter((note) => (note.user_id ?? LOCAL_USER) === user);
  }
}
