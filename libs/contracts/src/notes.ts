import { z } from 'zod';

export const NoteSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  content: z.string(),
  tags: z.array(z.string()).default([]),
  source: z.string().optional(),
  /** The note's owner; only their runs search it (absent: the local user). */
  user_id: z.string().min(1).optional(),
  created_at: z.string(),
});
export type Note = z.infer<typeof NoteSchema>;

/** One entry of the notes log. */
export const NotesLogEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('note_added'), note: NoteSchema }),
  z.object({ type: z.literal('note_removed'), id: z.string().min(1) }),
]);
export type NotesLogEntry = z.infer<typeof NotesLogEntrySchema>;
