import { toLlmMessages } from '../node/history';
import type { NodeAnswer, NodeContext } from '../node/node-context';
import { mimirSystemPrompt } from './mimir-prompt';
import { toClickable, type NotesSearch } from './notes-search';

/** Mimir searches the notes, shows the search in the stream, and answers grounded in the hits. */
export function answerAsMimir(notes: NotesSearch) {
  return async (ctx: NodeContext): Promise<NodeAnswer> => {
    const { run } = ctx;
    const { query, hits } = notes.search(run.message);
    await ctx.publish({ type: 'search', node: 'mimir', query, hits: hits.length });
    const result = await ctx.llm.complete({
      agent: 'mimir',
      system: mimirSystemPrompt(hits),
      messages: toLlmMessages(run.history, run.message),
      task: { kind: 'mimir', message: run.message, history: run.history, hits },
      signal: ctx.signal,
      onText: (delta) => ctx.token(delta),
    });
    return {
      response: result.text,
      usage: result.usage,
      cost_eur: result.cost_eur,
      provider: result.provider,
      model: result.model,
      clickable_objects: toClickable(hits),
    };
  };
}
