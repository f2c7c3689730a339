import { LlmError, OfflineProvider, supportsTools, type RetrievedNote, type ToolUseProvider } from '@koda/llm';
import { toLlmMessages } from '../node/history';
import type { NodeAnswer, NodeContext } from '../node/node-context';
import { citedHits } from './cited-notes';
import { mimirSystemPrompt, mimirToolPrompt } from './mimir-prompt';
import { toClickable, type NotesSearch } from './notes-search';
import { SEARCH_NOTES_TOOL, SearchNotesTool } from './search-notes-tool';

/** Model turns that may search before Mimir must answer, and their output budget. */
const MAX_SEARCH_ROUNDS = 4;
const MAX_TOTAL_OUTPUT_TOKENS = 4000;

/**
 * Mimir answers from the notes. With a model that can use tools, the model searches (the
 * `search_notes` tool, as many times as it needs within bounds) and answers; otherwise, or when
 * the model fails before saying anything, Mimir searches offline and answers from the hits.
 * Every search shows in the stream as a `search` event; only the notes the answer cites are
 * returned as `clickable_objects`.
 */
export function answerAsMimir(notes: NotesSearch) {
  return async (ctx: NodeContext): Promise<NodeAnswer> => {
    if (!supportsTools(ctx.llm)) return answerOffline(notes, ctx, ctx.llm);
    try {
      return await answerWithTools(notes, ctx, ctx.llm);
    } catch (err) {
      if (!canFallBack(err, ctx.signal)) throw err;
      ctx.log.warn({ err: String(err) }, 'mimir: the model could not search; answering from the offline search');
      return answerOffline(notes, ctx, new OfflineProvider({ tokenDelayMs: 0 }));
    }
  };
}

/** A failure before any text reached the client, not a cancel or a deadline: offline can answer. */
function canFallBack(err: unknown, signal: AbortSignal): boolean {
  return err instanceof LlmError && !err.outputStarted && !signal.aborted;
}

async function answerWithTools(notes: NotesSearch, ctx: NodeContext, llm: ToolUseProvider): Promise<NodeAnswer> {
  const { run } = ctx;
  const tool = new SearchNotesTool(notes, ctx);
  const result = await llm.completeWithTools({
    agent: 'mimir',
    system: mimirToolPrompt(),
    messages: toLlmMessages(run.history, run.message),
    task: { kind: 'mimir', message: run.message, history: run.history, hits: [] },
    signal: ctx.signal,
    onText: (delta) => ctx.token(delta),
    tools: [SEARCH_NOTES_TOOL],
    runTool: (name, input) => tool.run(name, input),
    maxToolRounds: MAX_SEARCH_ROUNDS,
    maxTotalOutputTokens: MAX_TOTAL_OUTPUT_TOKENS,
  });
  const cited = [...tool.found.values()].filter((hit) => result.text.includes(hit.id));
  return answer(result, cited);
}

async function answerOffline(notes: NotesSearch, ctx: NodeContext, llm: NodeContext['llm']): Promise<NodeAnswer> {
  const { run } = ctx;
  const { query, hits } = await notes.searchFused(run.message, undefined, run.user_id);
  await ctx.publish({ type: 'search', query, hits: hits.length });
  const result = await llm.complete({
    agent: 'mimir',
    system: mimirSystemPrompt(hits),
    messages: toLlmMessages(run.history, run.message),
    task: { kind: 'mimir', message: run.message, history: run.history, hits },
    signal: ctx.signal,
    onText: (delta) => ctx.token(delta),
  });
  return answer(result, citedHits(result.text, hits));
}

function answer(result: Awaited<ReturnType<NodeContext['llm']['complete']>>, cited: RetrievedNote[]): NodeAnswer {
  return {
    response: result.text,
    usage: result.usage,
    cost_eur: result.cost_eur,
    provider: result.provider,
    model: result.model,
    clickable_objects: toClickable(cited),
  };
}
