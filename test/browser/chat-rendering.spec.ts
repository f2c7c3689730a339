import type { Browser } from 'playwright-core';
import { KodaClient } from '@koda/client';
import { FakeAnthropicServer, scenarios } from '@koda/llm/testing';
import { startStack, type KodaStack } from '@koda/testing';
import { launchChromium } from './support/chromium';
import { ChatPage, NARROW } from './support/chat-page';
import { ensureWebBuilt } from './support/web-build';

const MARKDOWN_ANSWER = [
  '# Plan du voyage',
  '',
  '## Étapes',
  '- Lisbonne, **trois jours**',
  '- Porto, en train',
  '',
  '```ts',
  'const budget = 1200;',
  '```',
  '',
  'Voir [le guide](https://guide.koda.test/lisbonne) et [ceci](javascript:window.__xss=3).',
  '',
  'Piège : <img src=x onerror="window.__xss=1"> et <script>window.__xss=2</script>',
].join('\n');

/**
 * Real Claude output is Markdown: the page renders it (headings, lists, code, links), and no
 * raw HTML from the model or a note reaches the DOM. Answers come from the real Anthropic SDK
 * against the local fake Messages API, so the text is exactly what a model would send.
 */
describe('chat page: Markdown, sanitising, retry, copy, conversations', () => {
  const fake = new FakeAnthropicServer();
  let stack: KodaStack;
  let browser: Browser;
  let chat: ChatPage;
  beforeAll(async () => {
    await ensureWebBuilt();
    browser = await launchChromium();
    stack = await startStack('browser-render', {
      config: { ANTHROPIC_API_KEY: 'sk-test-key', ANTHROPIC_BASE_URL: await fake.start(), KODA_LLM_RETRY_ATTEMPTS: 1, KODA_LLM_MAX_ATTEMPTS: 1 },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await fake.stop();
  });
  beforeEach(async () => {
    chat = await ChatPage.open(browser, stack.baseUrl);
  });
  afterEach(async () => {
    expect(chat.errors).toEqual([]);
    await chat.close();
  });

  const xss = () => chat.page.evaluate(() => (window as unknown as { __xss?: number }).__xss);

  it('renders a Markdown answer, and shows raw HTML in it as text', async () => {
    fake.enqueue(scenarios.text(MARKDOWN_ANSWER));
    await chat.send('Prépare le plan de mon voyage', 'plume');
    await chat.waitForAnswer();
    const body = chat.lastAnswer.locator('.bubble--answer .bubble__body');
    expect(await body.locator('h1').textContent()).toBe('Plan du voyage');
    expect(await body.locator('h2').textContent()).toBe('Étapes');
    expect(await body.locator('ul > li').allTextContents()).toEqual(['Lisbonne, trois jours', 'Porto, en train']);
    expect(await body.locator('li strong').textContent()).toBe('trois jours');
    expect(await body.locator('pre > code').textContent()).toBe('const budget = 1200;\n');
    const link = body.getByRole('link', { name: 'le guide' });
    expect(await link.getAttribute('href')).toBe('https://guide.koda.test/lisbonne');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    // The javascript: link loses its href; the HTML is shown, not run.
    expect(await body.getByText('ceci').getAttribute('href')).toBeNull();
    expect(await body.locator('img, script').count()).toBe(0);
    expect(await body.textContent()).toContain('Piège : <img src=x onerror="window.__xss=1"> et <script>window.__xss=2</script>');
    expect(await xss()).toBeUndefined();
    expect(await chat.answerText()).toBe(MARKDOWN_ANSWER);
    await chat.screenshot('markdown-answer');
  });

  it('renders a note as Markdown in its dialog; a note containing <img onerror> shows it as text', async () => {
    const client = new KodaClient({ baseUrl: stack.baseUrl });
    const note = await client.createNote({
      title: 'Balises zorblax',
      content: '## Liste zorblax\n- un\n- deux\n\nTexte <img src=x onerror="window.__xss=1"> fin',
      tags: ['test'],
    });
    // With a model, Mimir searches through its tool and cites the notes it used by id.
    fake.enqueue(
      scenarios.toolCalls([{ name: 'search_notes', input: { query: 'balises zorblax' } }]),
      scenarios.text(`D'après **Balises zorblax** [${note.id}] : <img src=x onerror="window.__xss=4">`),
    );
    await chat.send('Cherche dans mes notes les balises zorblax', 'mimir');
    await chat.waitForAnswer();
    expect(await chat.lastAnswer.locator('.bubble--answer .bubble__body img').count()).toBe(0);
    expect(await chat.lastAnswer.locator('.bubble--answer .bubble__body').textContent()).toContain('<img src=x onerror="window.__xss=4">');
    await chat.lastAnswer.locator(`[data-note-id="${note.id}"]`).click();
    const content = chat.page.locator('#note-content');
    await content.locator('h2').waitFor();
    expect(await content.locator('li').allTextContents()).toEqual(['un', 'deux']);
    expect(await content.locator('img').count()).toBe(0);
    expect(await content.textContent()).toContain('Texte <img src=x onerror="window.__xss=1"> fin');
    expect(await xss()).toBeUndefined();
    await chat.screenshot('note-markdown');
    await client.deleteNote(note.id);
  });

  it('offers "Réessayer" after a failed answer, and it asks again', async () => {
    fake.enqueue(scenarios.invalidRequest('messages: too long'));
    await chat.send('Rédige un mot de bienvenue', 'plume');
    const retry = chat.lastAnswer.getByRole('button', { name: 'Réessayer' });
    await retry.waitFor();
    expect(await chat.lastAnswer.getByRole('alert').textContent()).toMatch(/^Le modèle a refusé la demande\./);
    fake.enqueue(scenarios.text('Bienvenue à bord !'));
    await retry.click();
    await chat.waitForAnswer();
    expect(await chat.answers.count()).toBe(2);
    expect(await chat.answerText()).toBe('Bienvenue à bord !');
    expect(await chat.page.locator('.message--user .bubble__body').allTextContents()).toEqual(['Rédige un mot de bienvenue', 'Rédige un mot de bienvenue']);
    expect(await chat.lastAnswer.getByRole('button', { name: 'Réessayer' }).count()).toBe(0);
  });

  it('offers "Réessayer" after Stop, also once the conversation is reloaded', async () => {
    fake.enqueue(scenarios.text('Un texte qui arrive lentement, mot après mot, sans fin prévue avant longtemps.', { delayMs: 150 }));
    await chat.send('Écris lentement', 'plume');
    await chat.lastAnswer.locator('.bubble--answer .bubble__body').filter({ hasText: /\S/ }).waitFor();
    await chat.stopButton.click();
    await chat.lastAnswer.getByRole('button', { name: 'Réessayer' }).waitFor();
    await chat.page.reload();
    const retry = chat.lastAnswer.getByRole('button', { name: 'Réessayer' });
    await retry.waitFor();
    fake.enqueue(scenarios.text('Voilà, en entier.'));
    await retry.click();
    await chat.waitForAnswer();
    expect(await chat.answerText()).toBe('Voilà, en entier.');
  });

  it('copies an answer (its Markdown) with "Copier"', async () => {
    await chat.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
    fake.enqueue(scenarios.text('## Titre\n- **gras**'));
    await chat.send('Un titre et une liste', 'plume');
    await chat.waitForAnswer();
    const copy = chat.lastAnswer.getByRole('button', { name: 'Copier' });
    await copy.click();
    await chat.lastAnswer.getByRole('button', { name: 'Copié' }).waitFor();
    expect(await chat.page.evaluate(() => navigator.clipboard.readText())).toBe('## Titre\n- **gras**');
  });

  it('lists conversations at the side and reopens one', async () => {
    fake.enqueue(scenarios.text('Réponse sur les pommes.'), scenarios.text('Réponse sur les poires.'));
    await chat.send('Parlons des pommes', 'plume');
    await chat.waitForAnswer();
    const first = await chat.page.evaluate(() => localStorage.getItem('koda.session_id'));
    await chat.page.getByRole('button', { name: 'Nouvelle conversation' }).click();
    await chat.send('Parlons des poires', 'plume');
    await chat.waitForAnswer();
    const side = chat.page.getByRole('navigation', { name: 'Vos conversations' });
    const items = side.locator('.conversation__title');
    // The list comes from the gateway (refreshed when the run is accepted, in its own time): this
    // user's conversations, newest first (earlier tests' too).
    await items.first().filter({ hasText: 'Parlons des poires' }).waitFor();
    expect((await items.allTextContents()).slice(0, 2)).toEqual(['Parlons des poires', 'Parlons des pommes']);
    // Another device (a fresh browser profile, nothing in its storage) lists the same conversations.
    const otherDevice = await ChatPage.open(browser, stack.baseUrl);
    try {
      const otherSide = otherDevice.page.getByRole('navigation', { name: 'Vos conversations' });
      await otherSide.locator('.conversation').nth(1).waitFor();
      expect((await otherSide.locator('.conversation__title').allTextContents()).slice(0, 2)).toEqual(['Parlons des poires', 'Parlons des pommes']);
    } finally {
      await otherDevice.close();
    }
    expect(await side.locator('[aria-current="true"] .conversation__title').textContent()).toBe('Parlons des poires');
    await side.getByRole('button', { name: /Parlons des pommes/ }).click();
    await chat.page.locator('.message--user .bubble__body', { hasText: 'Parlons des pommes' }).waitFor();
    expect(await chat.page.locator('.message--user .bubble__body').allTextContents()).toEqual(['Parlons des pommes']);
    expect(await chat.agentTexts()).toEqual(['Réponse sur les pommes.']);
    expect(await chat.page.evaluate(() => localStorage.getItem('koda.session_id'))).toBe(first);
    expect(await side.locator('[aria-current="true"] .conversation__title').textContent()).toBe('Parlons des pommes');
    await chat.screenshot('conversations');
    // On a phone the list folds behind the "Conversations" button of the top bar.
    await chat.page.setViewportSize(NARROW);
    expect(await side.isVisible()).toBe(false);
    const toggle = chat.page.getByRole('button', { name: 'Conversations' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await side.getByRole('button', { name: /Parlons des poires/ }).click();
    await chat.page.locator('.message--user .bubble__body', { hasText: 'Parlons des poires' }).waitFor();
    expect(await side.isVisible()).toBe(false);
  });
});

/** A reload mid-answer, at the end of a long conversation: the view follows the live text. */
describe('chat page: a resumed stream stays in view', () => {
  let stack: KodaStack;
  let browser: Browser;
  beforeAll(async () => {
    await ensureWebBuilt();
    browser = await launchChromium();
    stack = await startStack('browser-follow', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 15 } });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('scrolls with the answer after a reload', async () => {
    const client = new KodaClient({ baseUrl: stack.baseUrl });
    let sessionId: string | undefined;
    for (const message of ['Je prépare un voyage à Lisbonne.', 'Je veux voir Porto aussi.', 'Et Coimbra, si possible.']) {
      sessionId = (await client.chat({ message, mode: 'plume', session_id: sessionId })).session_id;
    }
    const chat = await ChatPage.open(browser, stack.baseUrl);
    try {
      await chat.page.evaluate((id) => localStorage.setItem('koda.session_id', id), sessionId!);
      await chat.page.reload();
      await chat.page.locator('.message--agent').nth(2).waitFor();
      await chat.send('Faut-il tout noter pendant un voyage ?', 'discussion');
      // Reloaded once a whole turn is kept: the page redraws it at once, taller than the screen's slack.
      await chat.page.locator('.bubble--turn .bubble__body').filter({ hasText: /\S{3}/ }).nth(1).waitFor();
      await chat.page.reload();
      await chat.page.locator('.bubble--turn').first().waitFor();
      await chat.waitForAnswer();
      const gap = await chat.page.evaluate(() => {
        const scroller = document.getElementById('chat')!;
        const answer = [...document.querySelectorAll('.message--agent')].at(-1)!;
        return {
          hidden: answer.getBoundingClientRect().bottom - scroller.getBoundingClientRect().bottom,
          scrollable: scroller.scrollHeight > scroller.clientHeight,
        };
      });
      expect(gap.scrollable).toBe(true);
      expect(gap.hidden).toBeLessThanOrEqual(1);
      expect(chat.errors).toEqual([]);
      await chat.screenshot('followed-after-reload');
    } finally {
      await chat.close();
    }
  });
});
