// The graph the LangGraph peer serves: one node that streams, with no delay, the chunks KODA's
// offline Plume streamed for the same message (recorded by the bench from KODA's own SSE in the
// same run, in PEER_CHUNKS_FILE), so both servers send the same text in the same number of chunks.
import { readFileSync } from 'node:fs';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';

/** message → the token deltas KODA sent for it; `*` is used for a message not recorded. */
const chunks = process.env.PEER_CHUNKS_FILE ? JSON.parse(readFileSync(process.env.PEER_CHUNKS_FILE, 'utf8')) : { '*': ['Hello ', 'world.'] };

const State = Annotation.Root({
  message: Annotation(),
  answer: Annotation(),
});

/** The message of the bench's open-stream probe: a run that streams nothing until its client leaves. */
const HOLD = '__hold__';

async function plume(state, config) {
  if (state.message === HOLD) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 600_000);
      config.signal?.addEventListener('abort', () => resolve(clearTimeout(timer)), { once: true });
    });
    return { answer: '' };
  }
  const deltas = chunks[state.message] ?? chunks['*'];
  // stream_mode "custom": each write is one SSE event, as each KODA token event is one.
  for (const delta of deltas) config.writer?.({ type: 'token', delta });
  return { answer: deltas.join('') };
}

export const graph = new StateGraph(State).addNode('plume', plume).addEdge(START, 'plume').addEdge('plume', END).compile();
