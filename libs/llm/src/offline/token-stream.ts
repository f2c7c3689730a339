import { LlmError } from '../provider';

/** Word-sized tokens, each keeping its trailing whitespace, so they concatenate to the text. */
export function splitTokens(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

/** With no delay, hand the event loop back this often so a long answer never starves it. */
export const YIELD_EVERY_TOKENS = 16;

/** The error an aborted generation throws: the abort reason if it is an LlmError already. */
export function abortError(signal: AbortSignal, outputStarted: boolean): LlmError {
  if (signal.reason instanceof LlmError) return signal.reason;
  return new LlmError('cancelled', 'offline generation cancelled', false, outputStarted);
}

/** Wait `ms`, or less if `signal` aborts first (the caller then checks the signal). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Stream `text` token by token through `onText`, `delayMs` apart, stopping promptly on abort
 * (checked before every token and during every pause).
 */
export async function streamTokens(text: string, onText: (delta: string) => void, signal: AbortSignal, delayMs: number): Promise<void> {
  const tokens = splitTokens(text);
  for (let i = 0; i < tokens.length; i++) {
    if (delayMs > 0) await pause(delayMs, signal);
    else if (i > 0 && i % YIELD_EVERY_TOKENS === 0) await yieldToEventLoop();
    if (signal.aborted) throw abortError(signal, i > 0);
    onText(tokens[i]);
  }
}
