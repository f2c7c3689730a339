import type { RetrievedNote, ToolSpec } from '@koda/llm';
import type { NodeContext } from '../node/node-context';
import type { NotesSearch } from './notes-search';

export const SEARCH_NOTES_TOOL: ToolSpec = {
  name: 'search_notes',
  description:
    "Search the user's personal notes (French and English). Returns the best-matching notes with their id, title, score and the passage that matched. Call it several times when useful: rewrite the question as keywords, try French and English wordings and synonyms.",
  input_schema: {
    type: 'object',
    properties: { query: { type: 'string', description: 'Keywords or a question, in French or English' } },
    required: ['query'],
  },
};

/** Longest note body handed back to the model per hit: enough to answer, bounded input tokens. */
const CONTENT_CHARS = 1500;
const HITS_PER_SEARCH = 5;

/**
 * Runs the model's `search_notes` calls: each search is published as a `search` event (query,
 * hit count) and its hits are remembered, so the answer's citations can be resolved to notes.
 */
export class SearchNotesTool {
  readonly found = new Map<string, RetrievedNote>();

  constructor(
    private readonly notes: NotesSearch,
    private readonly ctx: NodeContext,
  ) {}

  async run(name: string, input: unknown): Promise<string> {
    const query = (input as { query?: unknown } | null)?.query;
    if (name !== SEARCH_NOTES_TOOL.name || typeof query !== 'string' || !query.trim()) {
      return JSON.stringify({ error: `unknown tool or missing "query": call ${SEARCH_NOTES_TOOL.name} with {"query": "..."}` });
    }
    const { hits } = await this.notes.searchFused(query, HITS_PER_SEARCH, this.ctx.run.user_id);
    await this.ctx.publish({ type: 'search', query: query.trim(), hits: hits.length });
    for (const hit of hits) if (!this.found.has(hit.id)) this.found.set(hit.id, hit);
    return JSON.stringify({
      query,
      hits: hits.map((h) => ({ id: h.id, title: h.title, score: h.score, passage: h.snippet, content: h.content.slice(0, CONTENT_CHARS) })),
    });
  }
}
