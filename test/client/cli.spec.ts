import { runCli } from '../../libs/client/src/cli';
import { startStack, type KodaStack } from '@koda/testing';

/** `npm run chat` (its `runCli`), against the real gateway. */
describe('the chat CLI against the real gateway', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('cli', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 2 } });
  });
  afterAll(() => stack?.close());

  async function chat(...argv: string[]) {
    const io = { stdout: '', stderr: '' };
    const code = await runCli([...argv, '--url', stack.baseUrl], { out: (t) => void (io.stdout += t), err: (t) => void (io.stderr += t) });
    return { code, ...io };
  }

  it('streams a Mimir answer under its name, then time, tokens, cost and cited notes', async () => {
    const { code, stdout, stderr } = await chat('Cherche dans mes notes ce que j’ai écrit sur Redis Streams', '--mode', 'mimir');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Mimir ›\n/);
    expect(stdout).toMatch(/— Mimir · \d+(,\d)? m?s · [\d\s\u202f]+ tokens \(.+ entrée \/ .+ sortie\) · [\d,]+\s€/);
    expect(stdout).toMatch(new RegExp(`Notes citées :\\n  1\\. .+  ${stack.baseUrl}/api/v1/notes/`));
    expect(stderr).toMatch(/Recherche dans les notes/);
  });

  it('labels each discussion turn, continues a session, and says where it was routed', async () => {
    const first = await chat('Faut-il tout noter ?', '--mode', 'discussion');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/── Plume · tour 1 ──\n[\s\S]+── Mimir · tour 2 ──\n[\s\S]+── Synthèse ──\n/);
    const sessionId = /Session : (\S+)/.exec(first.stdout)![1];
    const second = await chat('Résume notre conversation', '--session', sessionId);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/Aiguillage : \w+ \(\d+ %\) → \w+/);
    expect(second.stdout).toContain(`Session : ${sessionId}`);
  });
});
