import { ev, frames, plumeRun, result, RUN_ID } from '../test/fixtures';
import { fakeFetch } from '../test/fake-fetch';
import { parseCliArgs } from './cli-args';
import { runCli } from './cli';

const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

function capture() {
  const io = { stdout: '', stderr: '' };
  return { io, output: { out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) } };
}

describe('CLI arguments', () => {
  it('reads the message, mode, session and url', () => {
    expect(parseCliArgs(['Bonjour', 'à', 'tous', '--mode', 'mimir', '--session=abc', '--url', 'http://gw:3000'])).toEqual({
      ok: true,
      args: { message: 'Bonjour à tous', mode: 'mimir', sessionId: 'abc', url: 'http://gw:3000' },
    });
    expect(parseCliArgs(['Salut'], { KODA_URL: 'http://koda:8080' })).toMatchObject({ ok: true, args: { mode: 'auto', url: 'http://koda:8080' } });
  });

  it('names what is wrong', () => {
    expect(parseCliArgs([])).toMatchObject({ ok: true, args: { message: '', mode: 'auto' } });
    expect(parseCliArgs(['x', '--mode', 'bard'])).toMatchObject({ ok: false, problem: expect.stringContaining('--mode') });
    expect(parseCliArgs(['x', '--mode'])).toMatchObject({ ok: false, problem: '--mode attend une valeur' });
    expect(parseCliArgs(['x', '--verbose'])).toMatchObject({ ok: false, problem: 'option inconnue : --verbose' });
    expect(parseCliArgs(['--help'])).toEqual({ ok: false, help: true });
  });
});

describe('CLI run', () => {
  it('streams a plume answer under its name, then the metadata and the session', async () => {
    const { fetch, calls } = fakeFetch([{ headers: { 'x-run-id': RUN_ID }, chunks: frames(plumeRun()) }]);
    const { io, output } = capture();
    expect(await runCli(['Salut', '--mode', 'plume', '--url', 'http://gw'], output, { fetch })).toBe(0);
    expect(calls[0].url).toBe('http://gw/api/v1/chat/orchestrated/stream');
    expect(plain(io.stdout)).toBe(
      'Plume ›\nBonjour à tous\n\n— Plume · 812 ms · 975 tokens (700 entrée / 275 sortie) · 0,0029 €\nSession : s-1  (pour continuer : --session s-1)\n',
    );
  });

  it('labels discussion turns and lists cited notes', async () => {
    const note = { type: 'note' as const, id: 'n-1', title: 'Redis Streams', snippet: '…', score: 0.8 };
    const events = [
      ev({ type: 'start', session_id: 's-1', mode: 'discussion', message: 'q' }),
      ev({ type: 'token', node: 'discussion', delta: 'Oui.', agent: 'plume', turn: 1 }),
      ev({ type: 'agent_message', node: 'discussion', agent: 'plume', turn: 1, content: 'Oui.' }),
      ev({ type: 'token', node: 'discussion', delta: 'Non.', agent: 'mimir', turn: 2 }),
      ev({ type: 'token', node: 'discussion', delta: 'Bref.', agent: 'synthesis', turn: 3 }),
      ev({ type: 'complete', result: result('Bref.', { agent_used: 'discussion', metadata: { clickable_objects: [note], turns: 2 } }) }),
    ];
    const { fetch } = fakeFetch([{ chunks: frames(events) }]);
    const { io, output } = capture();
    expect(await runCli(['q', '--mode', 'discussion', '--url', 'http://gw/'], output, { fetch })).toBe(0);
    expect(io.stdout).toContain('── Plume · tour 1 ──\nOui.\n── Mimir · tour 2 ──\nNon.\n── Synthèse ──\nBref.\n');
    expect(io.stdout).toContain('Notes citées :\n  1. Redis Streams  http://gw/api/v1/notes/n-1\n');
  });

  it('exits non-zero with a readable message on a failure', async () => {
    const { fetch } = fakeFetch([{ status: 400, json: { message: 'message: message must not be blank' } }]);
    const { io, output } = capture();
    expect(await runCli(['x', '--url', 'http://gw'], output, { fetch })).toBe(1);
    expect(io.stderr).toContain('✗ Échec (invalid_request) : message: message must not be blank');
    expect(await runCli([], output)).toBe(2);
    expect(io.stderr).toContain('Usage');
  });
});
