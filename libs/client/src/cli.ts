#!/usr/bin/env node
import { parseCliArgs, USAGE, type CliArgs } from './cli-args';
import { CliPrinter, type CliOutput } from './cli-printer';
import { KodaClient } from './koda-client';
import type { FetchLike } from './types';

/** `npm run chat -- "message" --mode auto`: one run, streamed to the terminal. Returns the exit code. */
export async function runCli(argv: string[], io: CliOutput, options: { env?: Record<string, string | undefined>; fetch?: FetchLike; signals?: NodeJS.Process } = {}): Promise<number> {
  const parsed = parseCliArgs(argv, options.env ?? {});
  if (!parsed.ok) {
    if (parsed.problem) io.err(`koda chat : ${parsed.problem}\n\n`);
    (parsed.help ? io.out : io.err)(USAGE);
    return parsed.help ? 0 : 2;
  }
  return chat(parsed.args, io, options.fetch, options.signals);
}

async function chat(args: CliArgs, io: CliOutput, fetch: FetchLike | undefined, signals: NodeJS.Process | undefined): Promise<number> {
  const client = new KodaClient({ baseUrl: args.url, fetch });
  const printer = new CliPrinter(io, args.url.replace(/\/+$/, ''));
  const run = client.startRun({ message: args.message, mode: args.mode, session_id: args.sessionId }, printer.handlers());
  const stop = onInterrupt(signals, () => {
    io.err('\nArrêt demandé…\n');
    run.cancel().catch((error: Error) => io.err(`Arrêt impossible : ${error.message}\n`));
  });
  const outcome = await run.done;
  stop();
  printer.summary(outcome.state, outcome.status === 'complete' ? outcome.result : undefined, 'error' in outcome ? outcome.error : undefined);
  return outcome.status === 'complete' ? 0 : outcome.status === 'cancelled' ? 130 : 1;
}

/** First Ctrl+C cancels the run (it ends on its own, with its partial answer); a second one quits. */
function onInterrupt(signals: NodeJS.Process | undefined, cancel: () => void): () => void {
  if (!signals) return () => undefined;
  let asked = false;
  const handler = () => {
    if (asked) signals.exit(130);
    asked = true;
    cancel();
  };
  signals.on('SIGINT', handler);
  return () => signals.off('SIGINT', handler);
}

if (require.main === module) {
  const io: CliOutput = { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text) };
  runCli(process.argv.slice(2), io, { env: process.env, signals: process }).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`koda chat : ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
