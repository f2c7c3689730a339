/** One conversation in the side list. */
export interface ConversationSummary {
  sessionId: string;
  /** Its first message, shortened. */
  title: string;
  /** Last activity (ISO-8601): the list is newest first. */
  updatedAt: string;
}

/**
 * Where the side list comes from. Today this browser's localStorage: the gateway has no "list
 * my sessions" endpoint yet. When `GET /api/v1/sessions` exists, a store reading it replaces
 * `LocalConversations` in `ChatApp` and nothing else changes (`noteActivity` then has nothing
 * to do: the server already knows).
 */
export interface ConversationStore {
  list(): Promise<ConversationSummary[]>;
  /** A message was sent in this conversation (its first message names it). */
  noteActivity(sessionId: string, message: string): void;
  forget(sessionId: string): void;
}

const KEY = 'koda.conversations';
const KEPT = 50;
const TITLE_LENGTH = 60;

export class LocalConversations implements ConversationStore {
  async list(): Promise<ConversationSummary[]> {
    return this.read();
  }

  noteActivity(sessionId: string, message: string): void {
    const all = this.read();
    const known = all.find((c) => c.sessionId === sessionId);
    const entry = { sessionId, title: known?.title ?? titleOf(message), updatedAt: new Date().toISOString() };
    this.write([entry, ...all.filter((c) => c.sessionId !== sessionId)].slice(0, KEPT));
  }

  forget(sessionId: string): void {
    this.write(this.read().filter((c) => c.sessionId !== sessionId));
  }

  private read(): ConversationSummary[] {
    try {
      const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
      return Array.isArray(parsed) ? parsed.filter(isSummary) : [];
    } catch {
      return []; // unreadable or storage disabled: an empty list, the chat still works
    }
  }

  private write(list: ConversationSummary[]): void {
    try {
      localStorage.setItem(KEY, JSON.stringify(list));
    } catch {
      // storage full or disabled: the list is only forgotten
    }
  }
}

function titleOf(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

function isSummary(value: unknown): value is ConversationSummary {
  const c = value as ConversationSummary;
  return !!c && typeof c.sessionId === 'string' && typeof c.title === 'string' && typeof c.updatedAt === 'string';
}
