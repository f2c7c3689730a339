import type { FetchLike } from '@koda/client';

const STORAGE_KEY = 'koda.apiKey';
const ASK = "Ce KODA demande une clé d'API (créée avec « npm run keys -- create <vous> »). Votre clé :";

// localStorage can throw (private mode, disabled storage): the key is then asked again next time.
export function storedApiKey(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function keep(key: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, key);
  } catch {
    // see storedApiKey
  }
}

/** One question at a time: the requests refused together wait for the same answer. */
let asking: Promise<string | undefined> | null = null;

function askOnce(): Promise<string | undefined> {
  asking ??= Promise.resolve(window.prompt(ASK)?.trim() || undefined).finally(() => setTimeout(() => (asking = null), 0));
  return asking;
}

/**
 * `fetch` that, when the API answers 401, asks for a key once, keeps it in localStorage and
 * retries the request with it; the client then sends the kept key on every later request.
 */
export const fetchAskingForKey: FetchLike = async (input, init = {}) => {
  const res = await globalThis.fetch(input, init);
  if (res.status !== 401) return res;
  const key = await askOnce();
  if (!key) return res;
  keep(key);
  return globalThis.fetch(input, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${key}` } });
};
