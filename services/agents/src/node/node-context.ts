import type { AgentJobPayload, AgentMessageEvent, AgentNode, ClickableObject, SearchEvent } from '@koda/contracts';
import type { LlmProvider, LlmUsage } from '@koda/llm';
import type { Logger } from '@koda/platform';
import type { TokenTag } from './token-coalescer';

/**
 * The events a node body may publish itself: its own content (a search, a discussion turn),
 * never a lifecycle event (`processing`, `error`, `complete` are the runner's). The runner
 * stamps the node's name on them, so a body cannot speak for another node.
 */
export type NodeEventDraft = Omit<SearchEvent, 'run_id' | 'timestamp' | 'node'> | Omit<AgentMessageEvent, 'run_id' | 'timestamp' | 'node'>;

/**
 * What a node's body gets: the run, a signal to stop on, and the only ways to publish (it
 * never sees the run log: the architecture check forbids an agent folder to import it).
 */
export interface NodeContext {
  run: AgentJobPayload;
  node: AgentNode;
  signal: AbortSignal;
  llm: LlmProvider;
  log: Logger;
  /**
   * Turns an earlier attempt of this node finished and published (a discussion resumed after
   * its worker was lost continues after them instead of running them again); empty at first.
   */
  finishedTurns: AgentMessageEvent[];
  /** Streams a text delta (coalesced into `token` events). */
  token(delta: string, tag?: TokenTag): void;
  /** Publishes one of the node's own events, after the tokens pushed before it. */
  publish(draft: NodeEventDraft): Promise<void>;
}

/** What a node's body returns; the runner turns it into the job's outcome. */
export interface NodeAnswer {
  response: string;
  usage: LlmUsage;
  cost_eur: number;
  provider: string;
  model: string;
  clickable_objects?: ClickableObject[];
  turns?: number;
}

export type NodeBody = (ctx: NodeContext) => Promise<NodeAnswer>;
