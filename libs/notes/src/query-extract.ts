import { understandQuery } from './search/query-understanding';

/**
 * The search query inside a message: the question's subject as written ("cherche dans mes
 * notes ce que j'ai écrit sur Redis" → "Redis"); the message itself when nothing but request
 * phrasing remains. See `understandQuery`.
 */
export function extractSearchQuery(message: string): string {
  return understandQuery(message).query;
}
