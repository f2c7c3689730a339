import type { AgentJobPayload, AgentMessageEvent, AgentNode, ClickableObject, RunEventDraft } from '@koda/contracts';
import type { LlmProvider, LlmUsage } from '@koda/llm';
import type { Logger } from '@koda/platform';
import type { TokenTag } from './token-coalescer';

/** What a node's body gets: the run, a signal to stop on, and the only ways to publish. */
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
  /** Publishes a non-terminal event after the tokens pushed before it. */
  publish(draft: RunEventDraft): Promise<void>;
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
