/**
 * The downstream app's own code: a "notes assistant" that talks to KODA's HTTP API with plain
 * fetch and SSE. This is what its tests check against a real KODA.
 */

/** Parses an SSE body into frames `{ id, data }` (the subset KODA sends). */
function parseSse(text) {
  return text
    .split('\n\n')
    .map((block) => {
      const frame = { id: undefined, data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) frame.id = line.slice(4);
        else if (line.startsWith('data: ')) frame.data += line.slice(6);
      }
      return frame;
    })
    .filter((frame) => frame.data !== '');
}

/** The run's events until `[DONE]`, each with its id. */
function eventsOf(frames) {
  return frames.filter((f) => f.data !== '[DONE]').map((f) => ({ id: f.id, event: JSON.parse(f.data) }));
}

/** Asks a question and returns the streamed answer, as the app shows it to its user. */
async function ask(baseUrl, message, mode = 'auto') {
  const res = await fetch(`${baseUrl}/api/v1/chat/orchestrated/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message, mode }),
  });
  if (!res.ok) throw new Error(`KODA answered ${res.status}`);
  const events = eventsOf(parseSse(await res.text()));
  const tokens = events
    .filter((e) => e.event.type === 'token')
    .map((e) => e.event.delta)
    .join('');
  const terminal = events[events.length - 1].event;
  return { runId: res.headers.get('x-run-id'), events, text: tokens, terminal };
}

/** Picks a run up again after the last event the app saw (e.g. after a reload). */
async function resume(baseUrl, runId, lastEventId) {
  const res = await fetch(`${baseUrl}/api/v1/runs/${encodeURIComponent(runId)}/events`, { headers: { 'Last-Event-ID': lastEventId } });
  if (!res.ok) throw new Error(`KODA answered ${res.status}`);
  return eventsOf(parseSse(await res.text()));
}

/** The notes KODA's Mimir cited for a question, as links the app renders. */
async function citedNotes(baseUrl, question) {
  const { terminal } = await ask(baseUrl, question, 'mimir');
  if (terminal.type !== 'complete') throw new Error(`run failed: ${terminal.code}`);
  return (terminal.result.metadata.clickable_objects || []).map((o) => ({ id: o.id, title: o.title }));
}

module.exports = { ask, resume, citedNotes, parseSse };
