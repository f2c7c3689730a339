// The LangGraph JS Agent Server (`@langchain/langgraph-api`, the in-memory server `langgraph dev`
// runs) started programmatically, as `langgraph dev` starts it minus the file watcher and the
// Studio banner. Run by the bench (bench/src/langgraph-peer.ts) in its own process:
//   PEER_PORT=… PEER_DATA_DIR=… PEER_WORKERS=… node server.mjs
// It prints `ready <port>` once it serves.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '@langchain/langgraph-api/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PEER_PORT);
// `langgraph dev` keeps its state in memory and flushes it to <cwd>/.langgraph_api every 3 s:
// a fresh folder per bench run, so no run starts with an earlier one's threads.
const cwd = process.env.PEER_DATA_DIR ?? here;

const { cleanup } = await startServer({
  port,
  host: '127.0.0.1',
  cwd,
  // Runs executed at once by the in-process queue (`langgraph dev --n-jobs-per-worker`).
  nWorkers: Number(process.env.PEER_WORKERS) || 10,
  graphs: { plume: `${path.join(here, 'graph.mjs')}:graph` },
});
process.stdout.write(`ready ${port}\n`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(0));
  });
}
