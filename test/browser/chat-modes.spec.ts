import type { Browser } from 'playwright-core';
import { KodaClient } from '@koda/client';
import { startStack, type KodaStack } from '@koda/testing';
import { launchChromium } from './support/chromium';
import { ChatPage, NARROW } from './support/chat-page';
import { ensureWebBuilt } from './support/web-build';

/** The chat page in headless Chromium, against the real gateway (offline model, paced tokens). */
describe('chat page: every mode answers with its metadata', () => {
  let stack: KodaStack;
  let browser: Browser;
  let chat: ChatPage;
  beforeAll(async () => {
    await ensureWebBuilt();
    browser = await launchChromium();
    stack = await startStack('browser-modes', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 10 } });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    chat = await ChatPage.open(browser, stack.baseUrl);
  });
  afterEach(async () => {
    expect(chat.errors).toEqual([]);
    await chat.close();
  });

  /** The answer of the last run, as the server kept it (the reference the page must match). */
  async function lastResponse(): Promise<string> {
    const sessionId = await chat.page.evaluate(() => localStorage.getItem('koda.session_id'));
    const session = await new KodaClient({ baseUrl: stack.baseUrl }).getSession(sessionId!);
    return session.messages[session.messages.length - 1].content;
  }

  it('plume: streams the answer, names the agent at work, then shows time, tokens and cost', async () => {
    await chat.send('Reformule : la réunion de lundi est déplacée à mardi matin.', 'plume');
    await chat.status.getByText('Réflexion en cours… (Plume)').waitFor();
    await chat.stopButton.waitFor();
    await chat.screenshot('plume-streaming');
    await chat.waitForAnswer();
    const answer = chat.lastAnswer;
    await expect(answer.locator('.badge').first().textContent()).resolves.toBe('Plume');
    expect(await answer.locator('.bubble__meta').textContent()).toMatch(
      /^Temps\s*[\d,]+ m?s\s*Tokens\s*[\d\s\u202f]+ \(.+ entrée \/ .+ sortie\)\s*Coût\s*[\d,]+\s€$/,
    );
    expect(await chat.answerText()).toBe(await lastResponse());
    await chat.sendButton.waitFor();
    expect(await chat.status.textContent()).toBe('Réponse de Plume terminée.');
    expect(await chat.status.locator('.spinner').count()).toBe(0);
    await chat.screenshot('plume-desktop');
  });

  it('auto: says where it routed, and Mimir’s cited notes open in a dialog', async () => {
    await chat.send('Cherche dans mes notes ce que j’ai écrit sur Redis Streams', 'auto');
    await chat.waitForAnswer();
    const answer = chat.lastAnswer;
    expect(await answer.locator('.bubble__route').first().textContent()).toMatch(/^auto → recherche \(\d+ %\)$/);
    await expect(answer.locator('.badge').first().textContent()).resolves.toBe('Mimir');
    const links = answer.getByRole('navigation', { name: 'Notes citées' }).getByRole('link');
    expect(await links.count()).toBeGreaterThan(0);
    const title = (await links.first().textContent())!;
    await links.first().click();
    const dialog = chat.page.getByRole('dialog', { name: title });
    await dialog.waitFor();
    await dialog.locator('.note__content').filter({ hasText: /\S/ }).waitFor();
    await chat.screenshot('mimir-note-dialog');
    await chat.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await links.first().evaluate((link) => link === document.activeElement)).toBe(true);
  });

  it('mimir: a note added through the API is found and cited', async () => {
    const note = await new KodaClient({ baseUrl: stack.baseUrl }).createNote({
      title: 'Recette du far breton',
      content: 'Le far breton se cuit 45 minutes à 200 degrés, avec des pruneaux.',
      tags: ['cuisine'],
    });
    await chat.send('Que disent mes notes sur le far breton ?', 'mimir');
    await chat.waitForAnswer();
    await chat.lastAnswer.locator(`a[data-note-id="${note.id}"]`).waitFor();
    expect(await chat.answerText()).toBe(await lastResponse());
    await chat.screenshot('mimir-desktop');
  });

  it('discussion: one bubble per turn and agent, then the synthesis with its metadata (narrow screen)', async () => {
    await chat.page.setViewportSize(NARROW);
    await chat.send('Faut-il tout noter ?', 'discussion');
    await chat.page.locator('.bubble--turn').first().waitFor();
    await chat.screenshot('discussion-streaming-narrow');
    await chat.waitForAnswer();
    const turns = chat.lastAnswer.locator('.bubble--turn');
    const titles = await turns.locator('.badge').allTextContents();
    expect(titles.slice(0, 2)).toEqual(['Plume · tour 1', 'Mimir · tour 2']);
    expect(await turns.locator('.bubble__body').allTextContents()).not.toContain('');
    await expect(chat.lastAnswer.locator('.bubble--answer .badge').textContent()).resolves.toBe('Discussion · synthèse');
    expect(await chat.answerText()).toBe(await lastResponse());
    const overflow = await chat.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await chat.screenshot('discussion-narrow');
  });

  it('shows a refused request readably, and lets the user go on', async () => {
    await chat.page.route('**/api/v1/chat/orchestrated/stream', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          statusCode: 400,
          message: 'message: message must not be blank',
          fields: [{ field: 'message', errors: ['message must not be blank'] }],
        }),
      }),
    );
    await chat.send('Bonjour', 'plume');
    const alert = chat.lastAnswer.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Message refusé. message: message must not be blank');
    await chat.sendButton.waitFor();
    await chat.screenshot('error-refused');
  });
});
