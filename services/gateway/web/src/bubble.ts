import type { ClickableObject } from '@koda/contracts';
import { agentName } from '@koda/client';
import { el } from './dom';
import { setMarkdown } from './markdown';

/** Opens a cited note (the link also works without script: it points at the note's JSON). */
export type OpenNote = (id: string, title: string, trigger: HTMLElement) => void;

/** One speech bubble: a head (who speaks), a body (what they say) and a foot (meta, notes, errors). */
export interface Bubble {
  root: HTMLElement;
  head: HTMLElement;
  body: HTMLElement;
  foot: HTMLElement;
}

export function createBubble(agent: string, title: string): Bubble {
  const head = el('header', { className: 'bubble__head' }, [el('span', { className: `badge badge--${agentClass(agent)}`, text: title })]);
  const body = el('div', { className: 'bubble__body markdown' });
  const foot = el('div', { className: 'bubble__foot' });
  const root = el('article', { className: `bubble bubble--agent agent--${agentClass(agent)}`, attrs: { 'data-agent': agent } }, [head, body, foot]);
  return { root, head, body, foot };
}

export function userBubble(text: string, time?: string): HTMLLIElement {
  const head = el('header', { className: 'bubble__head' }, [
    el('span', { className: 'bubble__who', text: 'Vous' }),
    time ? el('time', { className: 'bubble__time', text: time }) : null,
  ]);
  return el('li', { className: 'message message--user' }, [
    el('article', { className: 'bubble bubble--user' }, [head, el('div', { className: 'bubble__body', text })]),
  ]);
}

/** Known agents get their colour; any other persona a neutral one. */
function agentClass(agent: string): string {
  return ['plume', 'mimir', 'discussion', 'synthesis'].includes(agent) ? agent : 'other';
}

export const titleOf = (agent: string, turn?: number): string => (turn ? `${agentName(agent)} · tour ${turn}` : agentName(agent));

/** The cited notes, as links that open the note in the dialog. */
export function notesList(notes: ClickableObject[], openNote: OpenNote): HTMLElement | null {
  if (notes.length === 0) return null;
  const items = notes.map((note) => {
    const link = el('a', {
      className: 'note-link',
      text: note.title || note.id,
      attrs: { href: `/api/v1/notes/${encodeURIComponent(note.id)}`, 'data-note-id': note.id },
    });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      openNote(note.id, note.title, link);
    });
    return el('li', {}, [link, note.snippet ? el('span', { className: 'note-snippet', text: note.snippet }) : null]);
  });
  return el('nav', { className: 'cited-notes', attrs: { 'aria-label': 'Notes citées' } }, [
    el('h3', { className: 'cited-notes__title', text: 'Notes citées' }),
    el('ul', {}, items),
  ]);
}

/** Replaces a bubble part's content only when its signature changed (no flicker while streaming). */
export function replaceOnce(parent: HTMLElement, key: string, build: () => HTMLElement | null): void {
  if (parent.dataset.key === key) return;
  parent.dataset.key = key;
  parent.replaceChildren(...[build()].filter((n): n is HTMLElement => !!n));
}

/** An agent's text is Markdown: rendered, sanitised (see markdown.ts). */
export function setBody(bubble: Bubble, text: string): void {
  setMarkdown(bubble.body, text);
}
