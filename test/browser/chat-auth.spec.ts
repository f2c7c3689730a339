import type { Browser } from 'playwright-core';
import { KodaClient } from '@koda/client';
import { startStack, type KodaStack } from '@koda/testing';
import { launchChromium } from './support/chromium';
import { ChatPage, DESKTOP } from './support/chat-page';
import { ensureWebBuilt } from './support/web-build';

const KEY = 'gina-key-0123456789abcdef';

/** With KODA_AUTH=apikey, the page asks for a key once, keeps it, and chats as that user. */
describe('chat page with an API key', () => {
  let stack: KodaStack;
  let browser: Browser;
  beforeAll(async () => {
    await ensureWebBuilt();
    browser = await launchChromium();
    stack = await startStack('browser-auth', {
      config: { KODA_AUTH: 'apikey', KODA_API_KEYS: `gina:${KEY}`, KODA_OFFLINE_TOKEN_DELAY_MS: 5, KODA_NOTES_DIR: '' },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('asks for the key on the first 401, keeps it, and streams an answer owned by that user', async () => {
    const asked: string[] = [];
    const chat = await ChatPage.open(browser, stack.baseUrl, DESKTOP, (page) =>
      page.on('dialog', (dialog) => {
        asked.push(dialog.message());
        void dialog.accept(KEY);
      }),
    );
    try {
      await chat.send('Reformule : la réunion de lundi est déplacée à mardi.', 'plume');
      await chat.waitForAnswer();
      expect(asked.length).toBe(1);
      expect(await chat.page.evaluate(() => localStorage.getItem('koda.apiKey'))).toBe(KEY);
      const sessionId = await chat.page.evaluate(() => localStorage.getItem('koda.session_id'));
      const session = await new KodaClient({ baseUrl: stack.baseUrl, apiKey: KEY }).getSession(sessionId!);
      expect(session.messages.map((m) => m.content)).toContain(await chat.answerText());
      await chat.send('Merci !', 'plume');
      await chat.waitForAnswer();
      expect(asked.length).toBe(1);
      expect(chat.errors).toEqual([]);
    } finally {
      await chat.close();
    }
  });
});
