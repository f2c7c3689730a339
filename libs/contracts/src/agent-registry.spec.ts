import { agentDefinition, agentForIntent, agentForMode, chatModes, isAgentNode, isChatMode, registerAgent } from './agent-registry';
import { AGENT_NODES, AGENT_TABLE, CHAT_MODES } from './agent-table';
import { INTENTS, parseRunEvent } from './events';
import { jobPayloadSchema } from './jobs.schemas';
import { allQueues, jobsOfQueue } from './queues';

describe('the agent table', () => {
  it('holds unique nodes, modes, queues and jobs', () => {
    for (const column of ['node', 'mode', 'queue', 'job'] as const) {
      const values = AGENT_TABLE.map((agent) => agent[column]);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('has an agent for every intent, so auto can route each one', () => {
    for (const intent of INTENTS) expect(agentForIntent(intent).intent).toBe(intent);
    expect(agentForIntent('recherche').node).toBe('mimir');
  });

  it('is where the mode list, queues and jobs come from', () => {
    expect(CHAT_MODES).toEqual(['auto', ...AGENT_NODES]);
    expect(allQueues()).toEqual(['orchestrator', 'agent-plume', 'agent-mimir', 'agent-discussion']);
    expect(jobsOfQueue('agent-mimir')).toEqual(['mimir-answer']);
    expect(jobsOfQueue('orchestrator')).toEqual(['route-message', 'deliver-webhook']);
    expect(jobPayloadSchema('plume-answer')).toBeDefined();
    expect(jobPayloadSchema('nope')).toBeUndefined();
    expect(agentForMode('auto')).toBeUndefined();
  });
});

describe('an agent registered at run time', () => {
  const now = new Date().toISOString();
  const token = (node: string) => JSON.stringify({ type: 'token', run_id: 'r', timestamp: now, node, delta: 'x' });

  it('is unknown until registered, then everywhere the table is read', () => {
    expect(isAgentNode('echo')).toBe(false);
    expect(parseRunEvent(token('echo'))).toMatchObject({ ok: false, reason: expect.stringContaining('node') });
    registerAgent({ node: 'echo', mode: 'echo', queue: 'agent-echo', job: 'echo-answer', intent: 'restitution', displayName: 'Écho' });
    expect(isAgentNode('echo')).toBe(true);
    expect(isChatMode('echo')).toBe(true);
    expect(chatModes()).toEqual([...CHAT_MODES, 'echo']);
    expect(parseRunEvent(token('echo'))).toMatchObject({ ok: true });
    expect(jobsOfQueue('agent-echo')).toEqual(['echo-answer']);
    expect(agentDefinition('echo').displayName).toBe('Écho');
    // The table's first agent of an intent keeps it.
    expect(agentForIntent('restitution').node).toBe('plume');
  });

  it('may not take a node, mode, queue or job already used, nor the mode auto', () => {
    const row = { node: 'other', mode: 'other', queue: 'agent-other', job: 'other-answer', intent: 'recherche' as const, displayName: 'Other' };
    expect(() => registerAgent({ ...row, queue: 'agent-plume' })).toThrow(/clashes with "plume"/);
    expect(() => registerAgent({ ...row, mode: 'auto' })).toThrow(/clashes/);
    expect(() => agentDefinition('other')).toThrow(/unknown agent node "other"/);
  });
});
