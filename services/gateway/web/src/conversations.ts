import type { KodaClient } from '@koda/client';

/** One conversation in the side list. */
export interface ConversationSummary {
  sessionId: string;
  /** Its first message, shortened. */
  title: string;
  /** Last activity (ISO-8601): the list is newest first. */
  updatedAt: string;
}

const TITLE_LENGTH = 60;

/**
 * The side list comes from the gateway (`GET /api/v1/sessions`), so it is the same on every
 * device the user signs in from and holds only their own sessions.
 */
export class ServerConversations {
  constructor(private readonly client: KodaClient) {}

  async list(): Promise<ConversationSummary[]> {
    const sessions = await this.client.listSessions();
    return sessions.map((s) => ({ sessionId: s.session_id, title: titleOf(s.title), updatedAt: s.last_activity }));
  }
}

function titleOf(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}
