import type { NodeAnswer, NodeContext } from '@koda/agents';

/** Echo's turn: the message back, streamed word by word, and restated as its one turn. */
export async function answerAsEcho(ctx: NodeContext): Promise<NodeAnswer> {
  const { message } = ctx.run;
  if (message.startsWith('!complete')) {
    // A body that tries to end the run itself: the runner refuses whatever the type says.
    await (ctx.publish as (draft: unknown) => Promise<void>)({ type: 'complete', result: {} });
  }
  for (const word of message.split(/(?<= )/)) ctx.token(word);
  await ctx.publish({ type: 'agent_message', agent: 'echo', turn: 1, content: message });
  const words = message.split(/\s+/).length;
  return { response: message, usage: { input_tokens: words, output_tokens: words }, cost_eur: 0, provider: 'echo', model: 'echo-1' };
}
