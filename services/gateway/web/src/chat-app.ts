import type { AgentNode, ChatMode, SessionView } from '@koda/contracts';
import { agentName, initialRunState, KodaClient, type KodaError, type RunHandle, type RunOutcome, type RunStatus } from '@koda/client';
import { fetchAskingForKey, storedApiKey } from './api-key';
import { userBubble } from './bubble';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { ServerConversations } from './conversations';
import { byId, el, formatTime } from './dom';
import { NoteDialog } from './note-dialog';
import { RunView } from './run-view';
import { storage, type InflightRun } from './storage';

/** How often a run's state is written to localStorage while it streams (and always on pagehide). */
const PERSIST_EVERY_MS = 300;
/** Closer than this to the bottom, the view keeps following new text. */
const FOLLOW_MARGIN_PX = 120;

/**
 * The chat page: history from the session log, one run at a time streamed through
 * `@koda/client`, and enough kept in localStorage (session id, the run in flight with its
 * state and last event id) that a reload loses neither the conversation nor the answer coming.
 */
export class ChatApp {
  private readonly client = new KodaClient({ fetch: fetchAskingForKey, apiKey: storedApiKey });
  private readonly scroller = byId('chat');
  private readonly list = byId<HTMLOListElement>('messages');
  private readonly welcome = byId('welcome');
  private readonly status = byId('status');
  private readonly notes = new NoteDialog(this.client);
  private readonly composer = new Composer({ send: (message, mode) => this.send(message, mode), stop: () => this.stop() });
  private readonly sideList = new ConversationList(new ServerConversations(this.client), (sessionId) => void this.openConversation(sessionId));
  private sessionId = storage.sessionId();
  private current: { handle: RunHandle; inflight: InflightRun } | undefined;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether new text scrolls the view: true until the reader scrolls up, and again at the bottom. */
  private following = true;

  async start(): Promise<void> {
    this.composer.setMode(storage.mode());
    this.composer.mode.addEventListener('change', () => storage.setMode(this.composer.mode.value as ChatMode));
    byId('new-chat').addEventListener('click', () => this.newConversation());
    document
      .querySelectorAll<HTMLButtonElement>('[data-example]')
      .forEach((chip) => chip.addEventListener('click', () => this.composer.fill(chip.dataset.example ?? '', chip.dataset.mode)));
    window.addEventListener('pagehide', () => this.persistNow());
    this.scroller.addEventListener('scroll', () => (this.following = this.distanceToBottom() < FOLLOW_MARGIN_PX), { passive: true });
    const history = await this.loadHistory();
    this.resumeInflight(history);
    this.updateWelcome();
    await this.sideList.refresh(this.sessionId);
  }

  /** Sends a message (one run at a time); a failed or stopped answer can send it again. */
  private send(message: string, mode: ChatMode): void {
    if (this.current) return;
    const inflight: InflightRun = {
      runId: '',
      sessionId: this.sessionId ?? undefined,
      message,
      sentAt: new Date().toISOString(),
      mode,
      state: initialRunState(),
    };
    this.append(userBubble(message, formatTime(inflight.sentAt)));
    const view = new RunView(this.openNote, mode, () => this.send(message, mode));
    this.append(view.root);
    const handle = this.client.startRun({ message, mode, session_id: this.sessionId ?? undefined }, this.handlers(view, inflight));
    void this.follow(handle, inflight);
  }

  private async stop(): Promise<void> {
    if (!this.current) return;
    this.composer.stopping();
    const answer = await this.current.handle.cancel().catch((error: Error) => ({ status: error.message }));
    // Already over (409) or unknown: the stream ends by itself; nothing more to do here.
    if (answer.status !== 'cancelling') this.setStatus(undefined);
  }

  private handlers(view: RunView, inflight: InflightRun) {
    return {
      onRun: ({ runId, sessionId }: { runId: string; sessionId?: string }) => {
        inflight.runId = runId;
        if (sessionId && sessionId !== this.sessionId) this.setSession(sessionId);
        inflight.sessionId = sessionId ?? inflight.sessionId;
        // The gateway lists the session once it accepted the run.
        void this.sideList.refresh(this.sessionId);
        this.persistNow();
      },
      onUpdate: () => this.redraw(view),
      onStatus: (status: RunStatus) => this.setStatus(status),
      onError: (error: KodaError) => error.source === 'client' && this.current && view.render(this.current.handle.state, error),
    };
  }

  private async follow(handle: RunHandle, inflight: InflightRun): Promise<void> {
    this.current = { handle, inflight };
    this.composer.setBusy(true);
    const outcome = await handle.done;
    if (this.current?.handle !== handle) return;
    this.current = undefined;
    clearTimeout(this.persistTimer);
    if (outcome.status !== 'closed') storage.setInflight(null);
    this.setStatus(undefined);
    this.announce(outcomeText(outcome));
    this.composer.setBusy(false);
    // The run's end moved its conversation's activity (and gave a new one its title in the session).
    if (outcome.status !== 'closed') void this.sideList.refresh(this.sessionId);
  }

  private redraw(view: RunView): void {
    if (!this.current) return;
    view.render(this.current.handle.state);
    if (this.following) this.scrollToEnd();
    this.persistSoon();
  }

  private distanceToBottom(): number {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight;
  }

  private scrollToEnd(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.following = true;
  }

  private persistSoon(): void {
    if (this.persistTimer === undefined) this.persistTimer = setTimeout(() => this.persistNow(), PERSIST_EVERY_MS);
  }

  /** Keeps the run with its state as of its last event id: a reloaded page resumes right after it. */
  private persistNow(): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (!this.current?.inflight.runId) return;
    storage.setInflight({ ...this.current.inflight, state: this.current.handle.state });
  }

  private async loadHistory(): Promise<SessionView | undefined> {
    const sessionId = this.sessionId;
    if (!sessionId) return undefined;
    try {
      const session = await this.client.getSession(sessionId);
      if (sessionId !== this.sessionId) return undefined; // another conversation was opened meanwhile
      let question: string | undefined;
      for (const message of session.messages) {
        if (message.role === 'user') question = message.content;
        const retry = question === undefined ? undefined : this.retryOf(question, message.agent);
        this.append(
          message.role === 'user' ? userBubble(message.content, formatTime(message.timestamp)) : RunView.fromHistory(message, this.openNote, retry).root,
        );
      }
      this.scrollToEnd();
      return session;
    } catch (error) {
      this.showNotice(`Impossible de recharger la conversation : ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Asks a question of the history again, of the agent that answered it. */
  private retryOf(question: string, agent: AgentNode | undefined): () => void {
    return () => this.send(question, agent ?? 'auto');
  }

  /** Opens a conversation from the side list; a run still streaming goes on without us (its answer lands in its session). */
  private async openConversation(sessionId: string): Promise<void> {
    if (sessionId === this.sessionId) return;
    this.leaveRun();
    this.setSession(sessionId);
    this.list.replaceChildren();
    this.setStatus(undefined);
    await this.loadHistory();
    this.updateWelcome();
    await this.sideList.refresh(this.sessionId);
  }

  private leaveRun(): void {
    this.current?.handle.close();
    this.current = undefined;
    storage.setInflight(null);
    this.composer.setBusy(false);
  }

  /** Rejoins the run a previous page left in flight, unless the session log shows it finished. */
  private resumeInflight(history: SessionView | undefined): void {
    const inflight = storage.inflight();
    if (!inflight) return;
    if (history?.messages.some((m) => m.run_id === inflight.runId) || (inflight.sessionId && inflight.sessionId !== this.sessionId))
      return storage.setInflight(null);
    this.append(userBubble(inflight.message, inflight.sentAt ? formatTime(inflight.sentAt) : undefined));
    const view = new RunView(this.openNote, inflight.mode, () => this.send(inflight.message, inflight.mode));
    this.append(view.root);
    view.render(inflight.state);
    // The text kept before the reload is drawn at once: the view follows it, then the live stream.
    this.scrollToEnd();
    const handle = this.client.joinRun(inflight.runId, { state: inflight.state }, this.handlers(view, inflight));
    void this.follow(handle, inflight);
  }

  private newConversation(): void {
    if (this.current) {
      void this.current.handle.cancel().catch(() => undefined);
      this.current.handle.close();
    }
    storage.setInflight(null);
    this.setSession(null);
    this.list.replaceChildren();
    this.updateWelcome();
    void this.sideList.refresh(null);
    this.composer.textarea.focus();
  }

  private setSession(sessionId: string | null): void {
    this.sessionId = sessionId;
    storage.setSessionId(sessionId);
  }

  private setStatus(status: RunStatus | undefined): void {
    const label = status?.label ?? '';
    this.status.classList.toggle('status--warning', status?.connection === 'reconnecting');
    this.status.replaceChildren(
      ...(label ? [el('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { className: 'status__label', text: label })] : []),
    );
  }

  /** Said by screen readers (the status region is live), not shown: the answer itself is on screen. */
  private announce(text: string): void {
    if (text) this.status.replaceChildren(el('span', { className: 'visually-hidden', text }));
  }

  private showNotice(text: string): void {
    this.status.replaceChildren(el('span', { className: 'status__label status__label--error', text }));
  }

  private append(node: HTMLElement): void {
    this.list.append(node);
    this.updateWelcome();
    this.scrollToEnd();
  }

  private updateWelcome(): void {
    this.welcome.hidden = this.list.childElementCount > 0;
  }

  private readonly openNote = (id: string, title: string, trigger: HTMLElement) => void this.notes.open(id, title, trigger);
}

function outcomeText(outcome: RunOutcome): string {
  if (outcome.status === 'complete') return `Réponse de ${agentName(outcome.result.agent_used)} terminée.`;
  if (outcome.status === 'cancelled') return 'Réponse interrompue.';
  return outcome.status === 'failed' ? 'La réponse a échoué.' : '';
}
