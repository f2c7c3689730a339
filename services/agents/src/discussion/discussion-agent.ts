import { CONSENSUS_MARKER, type LlmResult, type LlmUsage } from '@koda/llm';
import { withSpan } from '../node/agent-platform';
import type { NodeAnswer, NodeContext } from '../node/node-context';
import type { NotesSearch } from '../mimir/notes-search';
import { toLlmMessages } from '../node/history';
import { MarkerFilter } from './marker-filter';
import { SYNTHESIS_SYSTEM_PROMPT, transcriptPrompt, turnSystemPrompt, type Turn } from './discussion-prompts';

/** Who speaks, in order (like AutoGen's RoundRobinGroupChat); more personas can join the list. */
export const DISCUSSION_PERSONAS = ['plume', 'mimir'] as const;

/**
 * Plume and Mimir take turns on the question, each turn streamed and published as an
 * `agent_message`, until the turn limit or a consensus; then a synthesis. A cancel or the
 * deadline aborts the turn in flight (its LLM call) or stops before the next one.
 */
export function runDiscussion(notes: NotesSearch, maxTurns: number) {
  return async (ctx: NodeContext): Promise<NodeAnswer> => {
    const { run } = ctx;
    const { hits } = notes.search(run.message, 3, run.user_id);
    const transcript: Turn[] = [];
    const usage: LlmUsage = { input_tokens: 0, output_tokens: 0 };
    let cost = 0;
    const spend = (r: LlmResult) => {
      usage.input_tokens += r.usage.input_tokens;
      usage.output_tokens += r.usage.output_tokens;
      cost += r.cost_eur;
      return r;
    };
    // Resumed after a lost attempt: finished turns are restated once (the `retrying` marker
    // made clients drop them), never run again.
    for (const finished of ctx.finishedTurns.slice(0, maxTurns)) {
      transcript.push({ agent: finished.agent, content: finished.content });
      await ctx.publish({ type: 'agent_message', agent: finished.agent, turn: finished.turn, content: finished.content });
    }
    for (let turn = transcript.length + 1; turn <= maxTurns; turn++) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const agent = DISCUSSION_PERSONAS[(turn - 1) % DISCUSSION_PERSONAS.length];
      // Each turn is a span of the run's trace (its LLM call under it).
      const result = await withSpan('discussion turn', { attributes: { 'koda.discussion.turn': turn, 'koda.discussion.persona': agent } }, async () => {
        const visible = new MarkerFilter(CONSENSUS_MARKER);
        const answer = spend(
          await ctx.llm.complete({
            agent,
            // The session so far comes first, so a debate can follow up on an earlier exchange.
            system: turnSystemPrompt(agent, hits),
            messages: toLlmMessages(run.history, transcriptPrompt(run.message, transcript)),
            task: { kind: 'discussion-turn', message: run.message, persona: agent, turn, transcript: [...transcript], hits },
            signal: ctx.signal,
            onText: (delta) => ctx.token(visible.push(delta), { agent, turn }),
          }),
        );
        ctx.token(visible.end(), { agent, turn });
        const content = answer.text.replace(CONSENSUS_MARKER, '').trim();
        transcript.push({ agent, content });
        await ctx.publish({ type: 'agent_message', agent, turn, content });
        return answer;
      });
      if (turn >= 2 && result.text.includes(CONSENSUS_MARKER)) break;
    }
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const synthesis = await withSpan('discussion synthesis', { attributes: { 'koda.discussion.turn': transcript.length + 1 } }, async () =>
      spend(
        await ctx.llm.complete({
          agent: 'plume',
          system: SYNTHESIS_SYSTEM_PROMPT,
          messages: toLlmMessages(run.history, transcriptPrompt(run.message, transcript)),
          task: { kind: 'discussion-synthesis', message: run.message, transcript },
          signal: ctx.signal,
          onText: (delta) => ctx.token(delta, { agent: 'synthesis', turn: transcript.length + 1 }),
        }),
      ),
    );
    return { response: synthesis.text, usage, cost_eur: round(cost), provider: synthesis.provider, model: synthesis.model, turns: transcript.length };
  };
}

const round = (eur: number) => Math.round(eur * 1e6) / 1e6;
