import type { SessionMessage } from '@koda/contracts';
import type { LlmMessage } from '@koda/llm';

/** Enough context for a conversation, bounded so a long session cannot blow the token budget. */
const MAX_HISTORY_MESSAGES = 40;

/**
 * The session as chat turns, ending with the new message. Consecutive turns of one role are
 * merged (the Messages API wants alternation), and an interrupted answer says so.
 */
export function toLlmMessages(history: SessionMessage[], message: string): LlmMessage[] {
  const turns: LlmMessage[] = [];
  for (const entry of history.slice(-MAX_HISTORY_MESSAGES)) {
    const content =
      entry.status === 'cancelled' || entry.status === 'failed' || entry.status === 'interrupted' ? `${entry.content}\n[réponse interrompue]` : entry.content;
    push(turns, { role: entry.role, content });
  }
  push(turns, { role: 'user', content: message });
  while (turns.length > 0 && turns[0].role !== 'user') turns.shift();
  return turns;
}

function push(turns: LlmMessage[], turn: LlmMessage): void {
  const last = turns[turns.length - 1];
  if (last && last.role === turn.role) last.content = `${last.content}\n\n${turn.content}`;
  else turns.push({ ...turn });
}
