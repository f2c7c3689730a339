import type { Browser } from 'playwright-core';
import { KodaClient } from '@koda/client';
import { startStack, type KodaStack } from '@koda/testing';
import { ChaosProxy } from '../client/chaos-proxy';
import { launchChromium } from './support/chromium';
import { ChatPage } from './support/chat-page';
import { ensureWebBuilt } from './support/web-build';

/** The page under trouble: a connection cut mid-answer, a reload mid-answer, a Stop. */
describe('chat page: cuts, reloads and Stop', () => {
  let stack: KodaStack;
  let proxy: ChaosProxy;
  let browser: Browser;
  let chat: ChatPage;
  beforeAll(async () => {
    await ensureWebBuilt();
    browser = await launchChromium();
    stack = await startStack('browser-resilience', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 15 } });
    proxy = await ChaosProxy.start(stack.baseUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await stack?.close();
  });
  afterEach(async () => {
    expect(chat.errors).toEqual([]);
    await chat.close();
  });

  const client = () => new KodaClient({ baseUrl: stack.baseUrl });
  const sessionOf = async (page: ChatPage) => client().getSession((await page.page.evaluate(() => localStorage.getItem('koda.session_id')))!);

  it('resumes a stream cut mid-answer (through a proxy), with no duplicated text', async () => {
    chat = await ChatPage.open(browser, proxy.url);
    proxy.inject({ match: (req) => req.url === '/api/v1/chat/orchestrated/stream', action: 'cut', afterTokens: 4 });
    await chat.send('Écris un paragraphe sur la mer et les marées.', 'plume');
    await chat.waitForAnswer();
    const session = await sessionOf(chat);
    const { run_id, content } = session.messages[session.messages.length - 1];
    const resume = proxy.requests.find((r) => r.method === 'GET' && r.url === `/api/v1/runs/${run_id}/events`);
    expect(resume?.lastEventId).toMatch(/^\d+-\d+$/);
    expect(await chat.answerText()).toBe(content);
    await chat.screenshot('resumed-after-cut');
  });

  it('keeps the conversation across a reload', async () => {
    chat = await ChatPage.open(browser, stack.baseUrl);
    await chat.send('Je prépare un voyage à Lisbonne en mai.', 'plume');
    await chat.waitForAnswer();
    const before = await chat.answerText();
    await chat.page.reload();
    await chat.page.locator('.message--user').first().waitFor();
    expect(await chat.page.locator('.message--user .bubble__body').allTextContents()).toEqual(['Je prépare un voyage à Lisbonne en mai.']);
    expect(await chat.agentTexts()).toEqual([before]);
    await chat.send('Résume notre conversation', 'plume');
    await chat.waitForAnswer();
    expect(await chat.answerText()).toMatch(/Lisbonne/);
    await chat.screenshot('after-reload');
  });

  it('rejoins a run in flight after a reload, after its last event, and finishes it once', async () => {
    chat = await ChatPage.open(browser, stack.baseUrl);
    const resumes: (string | undefined)[] = [];
    chat.page.on('request', (req) => req.url().includes('/events') && resumes.push(req.headers()['last-event-id']));
    await chat.send('Faut-il tout noter ?', 'discussion');
    await chat.page.locator('.bubble--turn .bubble__body').filter({ hasText: /\S{3}/ }).first().waitFor();
    await chat.page.reload();
    await chat.page.locator('.bubble--turn').first().waitFor();
    await chat.screenshot('rejoined-after-reload');
    await chat.waitForAnswer();
    expect(resumes).toHaveLength(1);
    expect(resumes[0]).toMatch(/^\d+-\d+$/);
    const session = await sessionOf(chat);
    const answer = session.messages[session.messages.length - 1];
    expect(await chat.answerText()).toBe(answer.content);
    const turnTitles = await chat.lastAnswer.locator('.bubble--turn .badge').allTextContents();
    expect(turnTitles).toEqual(turnTitles.map((_, i) => `${i % 2 === 0 ? 'Plume' : 'Mimir'} · tour ${i + 1}`));
    // Finished, it now comes back from the session log, once.
    await chat.page.reload();
    await chat.page.locator('.message--agent').first().waitFor();
    expect(await chat.page.locator('.message--user').count()).toBe(1);
    expect(await chat.agentTexts()).toEqual([answer.content]);
    expect(await chat.page.evaluate(() => localStorage.getItem('koda.run'))).toBeNull();
  });

  it('a reload whose last event id is not in the run (reset) still shows the whole answer, once', async () => {
    chat = await ChatPage.open(browser, stack.baseUrl);
    const resumes: (string | undefined)[] = [];
    chat.page.on('request', (req) => req.url().includes('/events') && resumes.push(req.headers()['last-event-id']));
    await chat.send('Faut-il tout noter ?', 'discussion');
    await chat.page.locator('.bubble--turn .bubble__body').filter({ hasText: /\S{3}/ }).first().waitFor();
    // The kept state now claims an id this run never had (as after a Redis replaced by an empty
    // one): the page must not stitch the whole run after the text it kept.
    await chat.page.evaluate(() => {
      const setItem = Storage.prototype.setItem;
      const run = JSON.parse(localStorage.getItem('koda.run')!) as { state: { lastEventId?: string } };
      run.state.lastEventId = '1-1';
      setItem.call(localStorage, 'koda.run', JSON.stringify(run));
      Storage.prototype.setItem = function (key: string, value: string) {
        if (key !== 'koda.run') setItem.call(this, key, value);
      };
    });
    await chat.page.reload();
    await chat.waitForAnswer();
    expect(resumes.at(-1)).toBe('1-1');
    const session = await sessionOf(chat);
    const answer = session.messages[session.messages.length - 1];
    expect(await chat.answerText()).toBe(answer.content);
  });

  it('Stop ends the run: the partial answer stays, marked interrupted', async () => {
    chat = await ChatPage.open(browser, stack.baseUrl);
    await chat.send('Débattez longuement : faut-il tout noter ?', 'discussion');
    await chat.page.locator('.bubble--turn .bubble__body').filter({ hasText: /\S/ }).first().waitFor();
    await chat.stopButton.click();
    const alert = chat.lastAnswer.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Réponse interrompue.');
    await chat.sendButton.waitFor();
    expect(await chat.stopButton.isHidden()).toBe(true);
    expect(await chat.status.textContent()).toBe('Réponse interrompue.');
    expect(await chat.status.locator('.spinner').count()).toBe(0);
    await chat.screenshot('stopped');
    const session = await sessionOf(chat);
    expect(session.messages[session.messages.length - 1]).toMatchObject({ role: 'assistant', status: 'cancelled' });
  });
});
