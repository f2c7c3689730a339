export { bootstrapAgent } from './bootstrap';
export { registerAgentImplementation } from './agent-catalog';
export type { AgentImplementation } from './node/agent-implementation';
export type { NodeAnswer, NodeBody, NodeContext, NodeEventDraft } from './node/node-context';
