import type { KodaClient } from '@koda/client';
import { byId, el } from './dom';
import { setMarkdown } from './markdown';

/**
 * The note a cited link points at, shown in a modal <dialog> (focus moves in, Escape closes,
 * focus returns to the link). Loaded on demand from `/api/v1/notes/:id`.
 */
export class NoteDialog {
  private readonly dialog = byId<HTMLDialogElement>('note-dialog');
  private readonly title = byId('note-title');
  private readonly meta = byId('note-meta');
  private readonly content = byId('note-content');
  private trigger: HTMLElement | null = null;
  private request = 0;

  constructor(private readonly client: KodaClient) {
    byId('note-close').addEventListener('click', () => this.dialog.close());
    // A click on the backdrop (outside the note) closes too.
    this.dialog.addEventListener('click', (event) => event.target === this.dialog && this.dialog.close());
    this.dialog.addEventListener('close', () => this.trigger?.focus());
  }

  async open(id: string, title: string, trigger: HTMLElement): Promise<void> {
    const request = ++this.request;
    this.trigger = trigger;
    this.show(title, 'Chargement…', '');
    if (!this.dialog.open) this.dialog.showModal();
    try {
      const note = await this.client.getNote(id);
      if (request !== this.request) return;
      const date = new Date(note.created_at);
      const when = Number.isNaN(date.getTime()) ? '' : `Créée le ${date.toLocaleDateString('fr-FR', { dateStyle: 'long' })}`;
      this.show(note.title, [when, note.tags.length ? `Étiquettes : ${note.tags.join(', ')}` : ''].filter(Boolean).join(' · '), note.content);
    } catch (error) {
      if (request !== this.request) return;
      this.show(title, '', '');
      delete this.content.dataset.markdown;
      this.content.replaceChildren(
        el('p', { className: 'bubble__error', text: `Impossible d'ouvrir cette note : ${(error as Error).message}`, attrs: { role: 'alert' } }),
      );
    }
  }

  private show(title: string, meta: string, content: string): void {
    this.title.textContent = title || 'Note';
    this.meta.textContent = meta;
    setMarkdown(this.content, content); // a note is Markdown: rendered, sanitised
  }
}
