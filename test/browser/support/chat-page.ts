import { mkdirSync } from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');

export const DESKTOP = { width: 1280, height: 860 };
export const NARROW = { width: 375, height: 740 };

/** The chat page, driven the way a user would: labels, keys and buttons. */
export class ChatPage {
  readonly errors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  /** `beforeLoad` runs before the page loads (e.g. to answer its dialogs). */
  static async open(browser: Browser, url: string, viewport = DESKTOP, beforeLoad?: (page: Page) => void): Promise<ChatPage> {
    const context = await browser.newContext({ viewport, locale: 'fr-FR' });
    const chat = new ChatPage(context, await context.newPage());
    beforeLoad?.(chat.page);
    await chat.page.goto(url);
    return chat;
  }

  get messageField(): Locator {
    return this.page.getByLabel('Votre message');
  }
  get stopButton(): Locator {
    return this.page.getByRole('button', { name: 'Arrêter' });
  }
  get sendButton(): Locator {
    return this.page.getByRole('button', { name: 'Envoyer' });
  }
  get status(): Locator {
    return this.page.getByRole('status').first();
  }
  /** Every answer group (one per run), newest last. */
  get answers(): Locator {
    return this.page.locator('.message--agent');
  }
  get lastAnswer(): Locator {
    return this.answers.last();
  }

  /** Types a message and sends it with Enter, in the chosen mode. */
  async send(message: string, mode: 'auto' | 'plume' | 'mimir' | 'discussion'): Promise<void> {
    await this.page.getByLabel('Mode').selectOption(mode);
    await this.messageField.fill(message);
    await this.messageField.press('Enter');
  }

  /** Waits until the last answer shows its metadata (time, tokens, cost): the run is complete. */
  async waitForAnswer(timeout = 30_000): Promise<void> {
    await this.lastAnswer.locator('.bubble--answer .bubble__meta').waitFor({ timeout });
  }

  /** The answer's text exactly as streamed: the Markdown source the page rendered (kept on the body). */
  answerText(answer: Locator = this.lastAnswer): Promise<string> {
    return answer
      .locator('.bubble--answer .bubble__body')
      .getAttribute('data-markdown')
      .then((text) => text ?? '');
  }

  /** The Markdown source of every agent bubble on the page, in order. */
  agentTexts(): Promise<string[]> {
    return this.page.locator('.message--agent .bubble__body').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.markdown ?? ''));
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
