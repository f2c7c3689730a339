#!/usr/bin/env node
import { parseCliArgs, USAGE, type CliArgs } from './cli-args';
import { historyFileOf } from './cli-history';
import { CliPrinter, type CliOutput } from './cli-printer';
import { InteractiveChat, type InteractiveOptions } from './cli-session';
import { KodaClient } from './koda-client';
import type { FetchLike } from './types';

export interface CliOptions {
  env?: Record<string, string | undefined>;
  fetch?: FetchLike;
  signals?: NodeJS.Process;
  /** Where an interactive session reads lines and draws its prompt (stdin/stdout when run as a program). */
  terminal?: Pick<InteractiveOptions, 'input' | 'output' | 'terminal'>;
}

/**
 * `npm run chat -- "message" --mode auto`: one run, streamed to the terminal; `npm run chat`
 * with no message: an interactive session. Returns the exit code.
 */
export async function runCli(argv: string[], io: CliOutput, options: CliOptions = {}): Promise<number> {
  const env = options.env ?? {};
  const parsed = parseCliArgs(argv, env);
  if (!parsed.ok) {
    if (parsed.problem) io.err(`koda chat : ${parsed.problem}\n\n`);
    (parsed.help ? io.out : io.err)(USAGE);
    return parsed.help ? 0 : 2;
  }
  if (parsed.args.message) return chat(parsed.args, io, options.fetch, options.signals);
  if (!options.terminal) {
    io.err(`koda chat : il manque le message\n\n${USAGE}`);
    return 2;
  }
  const session = new InteractiveChat(parsed.args, io, {
    ...options.terminal,
    historyFile: historyFileOf(env),
    fetch: options.fetch,
    signals: options.signals,
  });
  return session.run();
}

async function chat(args: CliArgs, io: CliOutput, fetch: FetchLike | undefined, signals: NodeJS.Process | undefined): Promise<number> {
  const client = new KodaClient({ baseUrl: args.url, fetch, apiKey: args.apiKey });
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
  const terminal = { input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true && process.stdout.isTTY === true };
  runCli(process.argv.slice(2), io, { env: process.env, signals: process, terminal }).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`koda chat : ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
