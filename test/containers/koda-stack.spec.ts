import './support/docker-env';
import type { CompleteEvent } from '@koda/contracts';
import { FakeAnthropicServer } from '@koda/llm/testing';
import { KodaStack } from '@koda/testcontainers';
import { expectWellFormedRun, streamRun, typeSequence } from '@koda/testing';
import { KODA_IMAGE, KODA_REDIS_IMAGE } from './support/docker-env';

const images = { image: KODA_IMAGE, redisImage: KODA_REDIS_IMAGE };
const BONSAI_NOTE = '# Bonsaï\n\nMon érable du Japon se rempote au printemps, terreau akadama, arrosage léger.';

describe('@koda/testcontainers: KODA all-in-one, offline model', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await KodaStack.start({ ...images, notes: { 'bonsai.md': BONSAI_NOTE } });
  });
  afterAll(() => stack?.stop());

  it('answers a run through its ready client, and replays its events', async () => {
    const run = stack.client.startRun({ message: 'Reformule : la réunion de lundi est déplacée à mardi.', mode: 'plume' });
    const outcome = await run.done;
    expect(outcome.status).toBe('complete');
    const replay = await stack.runEvents(run.runId!);
    expect(replay.outcome.status).toBe('complete');
    expect(replay.events.map((e) => e.event.type)).toEqual(expect.arrayContaining(['start', 'processing', 'token', 'complete']));
    expect(replay.events[replay.events.length - 1].event.type).toBe('complete');
  });

  it('imports the notes it was given, and cites a note added at run time', async () => {
    const imported = await stack.client.listNotes();
    expect(imported.map((n) => n.title)).toContain('Bonsaï');
    const added = await stack.addNote({ title: 'Cave à vin', content: 'Le pessac-léognan 2015 se garde encore dix ans en cave.' });
    const result = await stack.client.chat({ message: 'Cherche dans mes notes le pessac-léognan en cave', mode: 'mimir' });
    expect(result.metadata.clickable_objects?.map((o) => o.id)).toContain(added.id);
  });
});

describe('@koda/testcontainers: one container per service, an Anthropic-compatible endpoint', () => {
  const fake = new FakeAnthropicServer();
  let stack: KodaStack;
  beforeAll(async () => {
    const baseUrl = await fake.start();
    stack = await KodaStack.start({ ...images, split: true, anthropicBaseUrl: baseUrl, auth: { anthropicApiKey: 'sk-test-containers' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await fake.stop();
  });

  it('runs gateway, orchestrator and each agent in its own container', () => {
    expect(stack.containers.services).toHaveLength(5);
  });

  it('streams through the containers, the agent calling the endpoint on this machine', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Bonjour depuis un conteneur', mode: 'plume' });
    const terminal = expectWellFormedRun(result) as CompleteEvent;
    expect(typeSequence(result.events)).toEqual(['start', 'processing:started', 'token', 'processing:completed', 'complete']);
    expect(terminal.result.response).toBe('Echo: Bonjour depuis un conteneur');
    const request = fake.requests.find((r) => JSON.stringify(r.messages).includes('Bonjour depuis un conteneur'));
    expect(request?.headers.hasCredentials).toBe(true);
  });
});
