import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { CreateNoteDto, LOCAL_USER, type Note } from '@koda/contracts';
import { appendNote, readAllNotes, removeNote } from '@koda/notes';
import { KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger } from '@koda/platform';
import { CurrentUser } from '../auth/request-user';
import { idParam } from '../http/id-param';
import { notFound } from '../http/not-found';

/** Mimir's corpus. Writes go to the notes log; every Mimir replica folds it into its index. */
@Controller('api/v1/notes')
export class NotesController {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  async list(@CurrentUser() user: string): Promise<{ notes: Note[] }> {
    return { notes: await this.all(user) };
  }

  @Get(':id')
  async one(@Param('id') idText: string, @CurrentUser() user: string): Promise<Note> {
    const id = idParam('id', idText);
    const note = (await this.all(user)).find((n) => n.id === id);
    if (!note) throw notFound('note_not_found', `No note ${id}.`);
    return note;
  }

  @Post()
  async create(@Body() body: CreateNoteDto, @CurrentUser() user: string): Promise<Note> {
    const note: Note = { id: randomUUID(), title: body.title.trim(), content: body.content, tags: body.tags ?? [], source: 'api', created_at: new Date().toISOString(), user_id: user };
    await appendNote(this.redis, this.config.KODA_PREFIX, note);
    this.logger.info({ note_id: note.id, user_id: user }, 'note added');
    return note;
  }

  @Delete(':id')
  @HttpCode(204)
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
