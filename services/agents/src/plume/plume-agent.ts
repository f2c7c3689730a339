import { toLlmMessages } from '../node/history';
import type { NodeAnswer, NodeContext } from '../node/node-context';
import { PLUME_SYSTEM_PROMPT } from './plume-prompt';

/** Plume answers from the conversation so far. */
export async function answerAsPlume(ctx: NodeContext): Promise<NodeAnswer> {
  const { run } = ctx;
  const result = await ctx.llm.complete({
    agent: 'plume',
    system: PLUME_SYSTEM_PROMPT,
    messages: toLlmMessages(run.history, run.message),
    task: { kind: 'plume', message: run.message, history: run.history },
    signal: ctx.signal,
    onText: (delta) => ctx.token(delta),
  });
  return { response: result.text, usage: result.usage, cost_eur: result.cost_eur, provider: result.provider, model: result.model };
}
