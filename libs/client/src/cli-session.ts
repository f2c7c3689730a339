import { createInterface, type Interface } from 'node:readline';
import type { ChatMode } from '@koda/contracts';
import type { CliArgs } from './cli-args';
import { parseReplLine, type ReplInput } from './cli-commands';
import { INTERACTIVE_HELP, unreachableHint } from './cli-hints';
import { appendHistory, loadHistory } from './cli-history';
import { CliPrinter, type CliOutput } from './cli-printer';
import { KodaClient } from './koda-client';
import type { FetchLike, RunHandle } from './types';

export interface InteractiveOptions {
  input: NodeJS.ReadableStream;
  /** Where readline draws its prompt (the terminal). */
  output: NodeJS.WritableStream;
  /** A terminal: raw keys, so Ctrl+C reaches readline, and Ctrl+D quits at once. */
  terminal: boolean;
  historyFile?: string;
  fetch?: FetchLike;
  signals?: NodeJS.Process;
}

/**
 * `npm run chat` with no message: one conversation over many messages. Lines are handled one
 * at a time, in order (lines typed or piped during an answer wait their turn); the session id
 * of the first answer is kept for the next ones until /new.
 */
export class InteractiveChat {
  private mode: ChatMode;
  private sessionId: string | undefined;
  private active: RunHandle | undefined;
  private quitting = false;
  /** The input ended (readline refuses prompts then), though queued lines may still be running. */
  private inputClosed = false;
  private readonly client: KodaClient;
  private readonly baseUrl: string;
  private rl!: Interface;

  constructor(
    args: CliArgs,
    private readonly io: CliOutput,
    private readonly options: InteractiveOptions,
  ) {
    this.mode = args.mode;
    this.sessionId = args.sessionId;
    this.baseUrl = args.url.replace(/\/+$/, '');
    this.client = new KodaClient({ baseUrl: this.baseUrl, fetch: options.fetch, apiKey: args.apiKey });
  }

  /** Runs until Ctrl+D, /quit or the end of the input; returns the exit code. */
  async run(): Promise<number> {
    const problem = await this.reachability();
    if (problem) {
      this.io.err(`koda chat : ${problem}\n${unreachableHint(this.baseUrl)}\n`);
      return 1;
    }
    this.io.out(`KODA sur ${this.baseUrl}, mode ${this.mode}${this.sessionId ? `, session ${this.sessionId}` : ''}.\n${INTERACTIVE_HELP}`);
    this.rl = this.openReadline();
    const stopSignals = this.listenForInterrupts();
    try {
      for await (const line of this.rl) {
        if (this.quitting) break;
        appendHistory(this.options.historyFile, line);
        const keepGoing = await this.handle(parseReplLine(line));
        if (!keepGoing) break;
        this.prompt();
      }
    } finally {
      stopSignals();
      this.rl.close();
    }
    if (this.sessionId) this.io.out(`\nSession : ${this.sessionId}  (pour la reprendre : npm run chat -- --session ${this.sessionId})\n`);
    return 0;
  }

  private openReadline(): Interface {
    const rl = createInterface({
      input: this.options.input,
      output: this.options.output,
      terminal: this.options.terminal,
      history: loadHistory(this.options.historyFile),
      historySize: 500,
      removeHistoryDuplicates: true,
      prompt: this.promptText(),
    });
    // Ctrl+D on a terminal quits now, even mid-answer; the end of piped input lets queued lines finish.
    rl.on('close', () => {
      this.inputClosed = true;
      if (!this.options.terminal) return;
      this.quitting = true;
      void this.active?.cancel().catch(() => undefined);
    });
    setTimeout(() => this.prompt(), 0);
    return rl;
  }

  private async handle(input: ReplInput): Promise<boolean> {
    switch (input.kind) {
      case 'empty':
        return true;
      case 'message':
        await this.ask(input.text);
        return true;
      case 'mode':
        if (input.mode) this.mode = input.mode;
        this.io.out(`Mode : ${this.mode}\n`);
        if (!this.inputClosed) this.rl.setPrompt(this.promptText());
        return true;
      case 'new':
        this.sessionId = undefined;
        this.io.out('Nouvelle conversation.\n');
        return true;
      case 'notes':
        await this.listNotes();
        return true;
      case 'help':
        this.io.out(INTERACTIVE_HELP);
        return true;
      case 'quit':
        return false;
      case 'invalid':
        this.io.err(`${input.problem}\n`);
        return true;
    }
  }

  /** One answer, streamed as it comes; its session becomes the conversation's. */
  private async ask(message: string): Promise<void> {
    const printer = new CliPrinter(this.io, this.baseUrl);
    const run = this.client.startRun({ message, mode: this.mode, session_id: this.sessionId }, printer.handlers());
    this.active = run;
    const outcome = await run.done;
    this.active = undefined;
    this.sessionId = outcome.state.sessionId ?? this.sessionId;
    printer.summary(outcome.state, outcome.status === 'complete' ? outcome.result : undefined, 'error' in outcome ? outcome.error : undefined, {
      sessionLine: false,
    });
  }

  private async listNotes(): Promise<void> {
    try {
      const notes = await this.client.listNotes();
      this.io.out(notes.length ? `${notes.length} note${notes.length > 1 ? 's' : ''} :\n` : 'Aucune note (KODA_NOTES_DIR, ou POST /api/v1/notes).\n');
      for (const note of notes) this.io.out(`  - ${note.title}${note.tags.length ? `  [${note.tags.join(', ')}]` : ''}\n`);
    } catch (error) {
      this.io.err(`Notes illisibles : ${(error as Error).message}\n`);
    }
  }

  /** Ctrl+C stops the answer being written; at the prompt it clears the line (a terminal) or quits (piped). */
  private listenForInterrupts(): () => void {
    const interrupt = () => {
      if (this.active) {
        this.io.err('\nArrêt demandé…\n');
        this.active.cancel().catch((error: Error) => this.io.err(`Arrêt impossible : ${error.message}\n`));
        return;
      }
      if (!this.options.terminal || this.inputClosed) return this.rl.close();
      this.io.out('\n(Ctrl+D pour quitter)\n');
      this.rl.write(null, { ctrl: true, name: 'u' });
      this.prompt();
    };
    this.rl.on('SIGINT', interrupt);
    this.options.signals?.on('SIGINT', interrupt);
    return () => this.options.signals?.off('SIGINT', interrupt);
  }

  private async reachability(): Promise<string | undefined> {
    try {
      await (this.options.fetch ?? globalThis.fetch)(`${this.baseUrl}/health`);
      return undefined;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return `aucune réponse de ${this.baseUrl}/health${cause ? ` (${cause})` : ''}`;
    }
  }

  private promptText(): string {
    return `${this.mode} › `;
  }

  private prompt(): void {
    if (!this.quitting && !this.active && !this.inputClosed) this.rl.prompt();
  }
}
