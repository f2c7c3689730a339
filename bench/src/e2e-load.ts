import * as http from 'http';
import { SSE_DONE } from '@koda/contracts';
import { openSse } from './http-sse';
import type { SseFrame } from './sse-frames';
import { perSecond, summarize, type Summary } from './stats';

export interface E2eResult {
  runs: number;
  failed: number;
  concurrency: number;
  durationMs: number;
  runsPerS: number;
  eventsPerS: number;
  eventsPerRun: number;
  /** Token events per run (the same for KODA and the LangGraph peer, which streams KODA's chunks). */
  tokensPerRun: number;
  /** POST sent → first SSE event (the `start` event) received. */
  firstEvent: Summary;
  /** POST sent → first `token` event received: what a user waits for. */
  firstToken: Summary;
  run: Summary;
  /** An event's `timestamp` (set when published) → received; ms resolution of ISO timestamps. */
  eventLatency: Summary;
  failures: string[];
}

interface RunSample {
  firstEventMs: number;
  firstTokenMs: number;
  runMs: number;
  events: number;
  tokens: number;
  eventLatencies: number[];
  ok: boolean;
  failure?: string;
}

/** The messages the clients send, in turn (the LangGraph peer is given KODA's answer to each). */
export const MESSAGES = [
  'Résume-moi ce que disent mes notes sur Redis Streams et les consumer groups.',
  'Reformule en trois points les idées clés du Deep Work de Cal Newport.',
  'Quelle est la différence entre SSE et WebSocket pour streamer des tokens ?',
  'Rédige un court mail pour proposer une réunion produit la semaine prochaine.',
  'Explique les unions discriminées en TypeScript avec un exemple simple.',
  'Que dois-je planter au potager en avril ?',
];

/** What one SSE frame means to a client, whatever the server's protocol. */
export interface FrameMeaning {
  /** The end-of-stream sentinel (KODA's `[DONE]`): not an event. */
  done?: boolean;
  token?: boolean;
  /** The run's successful terminal event. */
  complete?: boolean;
  /** A fatal error, with its message. */
  failure?: string;
  /** When the server published the event (ISO), if it says. */
  timestamp?: string;
  /** The token's text, for recording what a server streams. */
  delta?: string;
}

/** A server the closed-loop clients drive: where to POST a run, and how to read its SSE frames. */
export interface E2eTarget {
  url: string;
  body(message: string): string;
  read(frame: SseFrame): FrameMeaning;
  /** The protocol has no terminal event: a run that ends without error, having streamed tokens, succeeded. */
  completeAtEnd?: boolean;
}

/** KODA's `POST /api/v1/chat/orchestrated/stream`: one JSON event per frame, `[DONE]` last. */
export function kodaTarget(baseUrl: string, mode: string): E2eTarget {
  return { url: `${baseUrl}/api/v1/chat/orchestrated/stream`, body: (message) => JSON.stringify({ message, mode }), read: readKodaFrame };
}

export function readKodaFrame(frame: SseFrame): FrameMeaning {
  if (frame.data === SSE_DONE) return { done: true };
  const event = JSON.parse(frame.data) as { type: string; timestamp: string; fatal?: boolean; message?: string; delta?: string };
  return {
    token: event.type === 'token',
    complete: event.type === 'complete',
    failure: event.type === 'error' && event.fatal ? event.message : undefined,
    timestamp: event.timestamp,
    delta: event.delta,
  };
}

/** hrtime (ns) → epoch ms, anchored once, so a receive stamp compares with ISO timestamps. */
const wallAnchor = { wallMs: Date.now(), ns: process.hrtime.bigint() };
const wallMsOf = (ns: bigint) => wallAnchor.wallMs + Number(ns - wallAnchor.ns) / 1e6;

function oneRun(target: E2eTarget, agent: http.Agent, n: number, onDelta?: (delta: string) => void): Promise<RunSample> {
  const sample: RunSample = { firstEventMs: NaN, firstTokenMs: NaN, runMs: NaN, events: 0, tokens: 0, eventLatencies: [], ok: false };
  const sentNs = process.hrtime.bigint();
  const stream = openSse({
    url: target.url,
    method: 'POST',
    body: target.body(MESSAGES[n % MESSAGES.length]),
    agent,
    onFrame: (frame, receivedNs) => {
      const sinceSent = Number(receivedNs - sentNs) / 1e6;
      const meaning = target.read(frame);
      if (meaning.done) return void (sample.runMs = sinceSent);
      sample.events++;
      if (sample.events === 1) sample.firstEventMs = sinceSent;
      else if (meaning.timestamp) sample.eventLatencies.push(wallMsOf(receivedNs) - Date.parse(meaning.timestamp));
      if (meaning.token) {
        sample.tokens++;
        if (Number.isNaN(sample.firstTokenMs)) sample.firstTokenMs = sinceSent;
        if (onDelta && meaning.delta !== undefined) onDelta(meaning.delta);
      }
      if (meaning.complete) sample.ok = true;
      if (meaning.failure !== undefined) sample.failure = meaning.failure;
    },
  });
  return stream.done.then(
    () => {
      if (Number.isNaN(sample.runMs)) sample.runMs = Number(process.hrtime.bigint() - sentNs) / 1e6;
      if (target.completeAtEnd && sample.failure === undefined && sample.tokens > 0) sample.ok = true;
      return sample;
    },
    (err: Error) => ({ ...sample, ok: false, failure: err.message }),
  );
}

/** `runs` runs through KODA's whole stack, `concurrency` clients each starting its next run when its last one ended. */
export function runE2e(baseUrl: string, opts: { concurrency: number; runs: number; mode: string }): Promise<E2eResult> {
  return runClients(kodaTarget(baseUrl, opts.mode), opts);
}

/** The same closed-loop clients against any target. */
export async function runClients(target: E2eTarget, opts: { concurrency: number; runs: number }): Promise<E2eResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const samples: RunSample[] = [];
  let issued = 0;
  const lane = async () => {
    while (issued < opts.runs) samples.push(await oneRun(target, agent, issued++));
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.runs) }, lane));
  const durationMs = performance.now() - startedAt;
  agent.destroy();
  return toResult(samples, opts.concurrency, durationMs);
}

/** The token deltas `target` streams for each of the clients' messages, one run each. */
export async function recordTokens(target: E2eTarget): Promise<Record<string, string[]>> {
  const agent = new http.Agent({ keepAlive: false });
  const recorded: Record<string, string[]> = {};
  for (let n = 0; n < MESSAGES.length; n++) {
    const deltas: string[] = [];
    const sample = await oneRun(target, agent, n, (delta) => deltas.push(delta));
    if (!sample.ok) throw new Error(`recording the answer to "${MESSAGES[n]}" failed: ${sample.failure ?? 'no complete event'}`);
    recorded[MESSAGES[n]] = deltas;
  }
  agent.destroy();
  return recorded;
}

function toResult(samples: RunSample[], concurrency: number, durationMs: number): E2eResult {
  const ok = samples.filter((s) => s.ok);
  const events = samples.reduce((sum, s) => sum + s.events, 0);
  const failures = [...new Set(samples.filter((s) => !s.ok).map((s) => s.failure ?? 'ended without complete'))].slice(0, 5);
  return {
    runs: samples.length,
    failed: samples.length - ok.length,
    concurrency,
    durationMs,
    runsPerS: perSecond(ok.length, durationMs),
    eventsPerS: perSecond(events, durationMs),
    eventsPerRun: samples.length ? events / samples.length : NaN,
    tokensPerRun: samples.length ? samples.reduce((sum, s) => sum + s.tokens, 0) / samples.length : NaN,
    firstEvent: summarize(samples.map((s) => s.firstEventMs).filter(Number.isFinite)),
    firstToken: summarize(samples.map((s) => s.firstTokenMs).filter(Number.isFinite)),
    run: summarize(samples.map((s) => s.runMs).filter(Number.isFinite)),
    eventLatency: summarize(samples.flatMap((s) => s.eventLatencies)),
    failures,
  };
}
