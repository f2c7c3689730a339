import type { AgentMessageEvent, CompleteEvent, ErrorEvent, ProcessingEvent, TokenEvent } from '@koda/contracts';
import { registerAgentImplementation } from '@koda/agents';
import { expectWellFormedRun, postJson, startStack, streamRun, typeSequence, type KodaStack } from '@koda/testing';
import { ECHO_MAX_CHARS, echoAgent } from './agents/echo';

// Before any service starts: from here on, this process's agent table has a fourth row.
registerAgentImplementation(echoAgent);

describe('a fourth agent, added as a folder plus a row of the agent table', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('agent-table', { agents: ['echo'] });
  });
  afterAll(() => stack.close());

  it('streams an echo run end to end: gateway → orchestrator → its worker → SSE', async () => {
    const message = 'Un écho venu du tableau des agents';
    const result = await streamRun(stack.baseUrl, { message, mode: 'echo' });
    const terminal = expectWellFormedRun(result) as CompleteEvent;
    expect(typeSequence(result.events)).toEqual(['start', 'processing:started', 'token', 'agent_message', 'processing:completed', 'complete']);
    // The runner wrapped it (attempt-fenced lifecycle events) and stamped its node on the body's own event.
    const processing = result.events.filter((e): e is ProcessingEvent => e.type === 'processing');
    expect(processing.map((e) => [e.node, e.status, e.attempt])).toEqual([
      ['echo', 'started', 1],
      ['echo', 'completed', 1],
    ]);
    const turn = result.events.find((e): e is AgentMessageEvent => e.type === 'agent_message');
    expect(turn).toMatchObject({ node: 'echo', agent: 'echo', turn: 1, content: message });
    const tokens = result.events.filter((e): e is TokenEvent => e.type === 'token');
    expect(tokens.map((t) => t.delta).join('')).toBe(message);
    expect(tokens.map((t) => [t.node, t.attempt])).toEqual(tokens.map(() => ['echo', 1]));
    // The intent comes from its row; the session records the exchange under its node.
    expect(terminal.result).toMatchObject({
      agent_used: 'echo',
      response: message,
      metadata: { intent: 'restitution', classifier: 'explicit', model: 'echo-1' },
    });
    const session = await (await fetch(`${stack.baseUrl}/api/v1/sessions/${terminal.result.session_id}`)).json();
    expect(session.messages.map((m: { role: string; agent?: string }) => [m.role, m.agent])).toEqual([
      ['user', undefined],
      ['assistant', 'echo'],
    ]);
  });

  it('is one of the modes the gateway accepts and names', async () => {
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, { message: 'x', mode: 'poet' });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('auto, plume, mimir, discussion, echo');
  });

  it('has its job data checked against its own payload schema', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'x'.repeat(ECHO_MAX_CHARS + 1), mode: 'echo' });
    const terminal = expectWellFormedRun(result) as ErrorEvent;
    expect(terminal).toMatchObject({ type: 'error', fatal: true, code: 'agent_failed', node: 'echo' });
    expect(terminal.message).toMatch(/invalid echo-answer payload: message/);
    expect(result.events.some((e) => e.type === 'processing')).toBe(false);
  });

  it('cannot end the run itself: a lifecycle event from its body fails the node', async () => {
    const result = await streamRun(stack.baseUrl, { message: '!complete now', mode: 'echo' });
    const terminal = expectWellFormedRun(result) as ErrorEvent;
    expect(terminal).toMatchObject({ type: 'error', fatal: true, code: 'agent_failed', node: 'echo' });
    expect(terminal.message).toContain('cannot publish a "complete" event');
    expect(result.events.filter((e) => e.type === 'complete')).toEqual([]);
  });
});
