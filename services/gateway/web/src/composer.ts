import { AGENT_TABLE, CHAT_MODES, type ChatMode } from '@koda/contracts';
import { byId, el } from './dom';

export interface ComposerHandlers {
  send(message: string, mode: ChatMode): void;
  stop(): void;
}

const MODES: readonly string[] = CHAT_MODES;

/** The message form: Enter sends, Shift+Enter breaks the line; Send or Stop depending on a run. */
export class Composer {
  readonly form = byId<HTMLFormElement>('composer');
  readonly textarea = byId<HTMLTextAreaElement>('message');
  readonly mode = byId<HTMLSelectElement>('mode');
  private readonly sendButton = byId<HTMLButtonElement>('send');
  private readonly stopButton = byId<HTMLButtonElement>('stop');
  private busy = false;

  constructor(handlers: ComposerHandlers) {
    // The page lists `auto`; each agent of the table adds its own mode.
    for (const agent of AGENT_TABLE) this.mode.append(el('option', { text: agent.displayName, attrs: { value: agent.mode } }));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const message = this.textarea.value.trim();
      if (!message || this.busy) return;
      handlers.send(message, this.mode.value as ChatMode);
      this.textarea.value = '';
      this.autosize();
    });
    this.textarea.addEventListener('keydown', (event) => {
      // isComposing: Enter also confirms an IME composition (accents, CJK); it must not send.
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      this.form.requestSubmit();
    });
    this.textarea.addEventListener('input', () => this.autosize());
    this.stopButton.addEventListener('click', () => handlers.stop());
  }

  setMode(mode: string | null): void {
    if (mode && MODES.includes(mode)) this.mode.value = mode;
  }

  /** While a run goes on: Stop instead of Send (one run at a time), the text field stays usable. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.sendButton.hidden = busy;
    this.stopButton.hidden = !busy;
    this.stopButton.disabled = false;
    if (!busy && document.activeElement === document.body) this.textarea.focus();
  }

  stopping(): void {
    this.stopButton.disabled = true;
  }

  fill(message: string, mode?: string): void {
    this.textarea.value = message;
    this.setMode(mode ?? null);
    this.autosize();
    this.textarea.focus();
  }

  private autosize(): void {
    this.textarea.style.height = 'auto';
    this.textarea.style.height = `${Math.min(this.textarea.scrollHeight, 240)}px`;
  }
}
