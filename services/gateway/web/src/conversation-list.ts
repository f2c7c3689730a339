import type { ConversationSummary, ServerConversations } from './conversations';
import { byId, el, formatTime } from './dom';

/**
 * The side list of conversations: one button per conversation, the open one marked
 * `aria-current`. On narrow screens it folds behind the "Conversations" button of the top bar.
 */
export class ConversationList {
  private readonly nav = byId('conversations');
  private readonly list = byId<HTMLUListElement>('conversation-list');
  private readonly toggle = byId<HTMLButtonElement>('toggle-conversations');
  private generation = 0;

  constructor(
    private readonly store: Pick<ServerConversations, 'list'>,
    private readonly open: (sessionId: string) => void,
  ) {
    this.toggle.addEventListener('click', () => this.setShown(this.toggle.getAttribute('aria-expanded') !== 'true'));
  }

  async refresh(current: string | null): Promise<void> {
    // Lists come back from the network in any order: only the latest asked for is drawn.
    const generation = ++this.generation;
    this.markCurrent(current); // at once: the list itself takes a round trip
    const conversations = await this.store.list().catch(() => [] as ConversationSummary[]);
    if (generation !== this.generation) return;
    this.list.replaceChildren(...conversations.map((c) => this.item(c, c.sessionId === current)));
    this.nav.classList.toggle('is-empty', conversations.length === 0);
  }

  private item(conversation: ConversationSummary, current: boolean): HTMLLIElement {
    const when = new Date(conversation.updatedAt);
    const date =
      when.toDateString() === new Date().toDateString()
        ? formatTime(conversation.updatedAt)
        : when.toLocaleDateString('fr-FR', { day: 'numeric', month: 'short' });
    const button = el(
      'button',
      { className: 'conversation', attrs: { type: 'button', 'data-session-id': conversation.sessionId, ...(current ? { 'aria-current': 'true' } : {}) } },
      [
        el('span', { className: 'conversation__title', text: conversation.title || 'Conversation' }),
        el('time', { className: 'conversation__time', text: date, attrs: { datetime: conversation.updatedAt } }),
      ],
    );
    button.addEventListener('click', () => {
      this.setShown(false);
      this.open(conversation.sessionId);
    });
    return el('li', {}, [button]);
  }

  private markCurrent(current: string | null): void {
    for (const button of this.list.querySelectorAll<HTMLButtonElement>('.conversation')) {
      if (button.dataset.sessionId === current) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  private setShown(shown: boolean): void {
    this.toggle.setAttribute('aria-expanded', String(shown));
    document.body.classList.toggle('show-conversations', shown);
  }
}
