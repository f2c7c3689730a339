import * as http from 'http';
import { SSE_DONE } from '@koda/contracts';
import { openSse } from './http-sse';
import { perSecond, summarize, type Summary } from './stats';

export interface E2eResult {
  runs: number;
  failed: number;
  concurrency: number;
  durationMs: number;
  runsPerS: number;
  eventsPerS: number;
  eventsPerRun: number;
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
  eventLatencies: number[];
  ok: boolean;
  failure?: string;
}

const MESSAGES = [
  'Résume-moi ce que disent mes notes sur Redis Streams et les consumer groups.',
  'Reformule en trois points les idées clés du Deep Work de Cal Newport.',
  'Quelle est la différence entre SSE et WebSocket pour streamer des tokens ?',
  'Rédige un court mail pour proposer une réunion produit la semaine prochaine.',
  'Explique les unions discriminées en TypeScript avec un exemple simple.',
  'Que dois-je planter au potager en avril ?',
];

/** hrtime (ns) → epoch ms, anchored once, so a receive stamp compares with ISO timestamps. */
const wallAnchor = { wallMs: Date.now(), ns: process.hrtime.bigint() };
const wallMsOf = (ns: bigint) => wallAnchor.wallMs + Number(ns - wallAnchor.ns) / 1e6;

function oneRun(baseUrl: string, agent: http.Agent, mode: string, n: number): Promise<RunSample> {
  const sample: RunSample = { firstEventMs: NaN, firstTokenMs: NaN, runMs: NaN, events: 0, eventLatencies: [], ok: false };
  const sentNs = process.hrtime.bigint();
  const body = JSON.stringify({ message: MESSAGES[n % MESSAGES.length], mode });
  const stream = openSse({
    url: `${baseUrl}/api/v1/chat/orchestrated/stream`,
    method: 'POST',
    body,
    agent,
    onFrame: (frame, receivedNs) => {
      const sinceSent = Number(receivedNs - sentNs) / 1e6;
      if (frame.data === SSE_DONE) return void (sample.runMs = sinceSent);
      const event = JSON.parse(frame.data) as { type: string; timestamp: string; fatal?: boolean; message?: string };
      sample.events++;
      if (sample.events === 1) sample.firstEventMs = sinceSent;
      else sample.eventLatencies.push(wallMsOf(receivedNs) - Date.parse(event.timestamp));
      if (event.type === 'token' && Number.isNaN(sample.firstTokenMs)) sample.firstTokenMs = sinceSent;
      if (event.type === 'complete') sample.ok = true;
      if (event.type === 'error' && event.fatal) sample.failure = event.message;
    },
  });
  return stream.done.then(
    () => sample,
    (err: Error) => ({ ...sample, ok: false, failure: err.message }),
  );
}

/** `runs` runs through the whole stack, `concurrency` clients each starting its next run when its last one ended. */
export async function runE2e(baseUrl: string, opts: { concurrency: number; runs: number; mode: string }): Promise<E2eResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const samples: RunSample[] = [];
  let issued = 0;
  const lane = async () => {
    while (issued < opts.runs) samples.push(await oneRun(baseUrl, agent, opts.mode, issued++));
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.runs) }, lane));
  const durationMs = performance.now() - startedAt;
  agent.destroy();
  return toResult(samples, opts.concurrency, durationMs);
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
    firstEvent: summarize(samples.map((s) => s.firstEventMs).filter(Number.isFinite)),
    firstToken: summarize(samples.map((s) => s.firstTokenMs).filter(Number.isFinite)),
    run: summarize(samples.map((s) => s.runMs).filter(Number.isFinite)),
    eventLatency: summarize(samples.flatMap((s) => s.eventLatencies)),
    failures,
  };
}
