import type { AgentNode, ErrorCode } from '@koda/contracts';
import { LlmError } from '@koda/llm';

export interface NodeFailure {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** Classifies what stopped a node; a cancel or deadline wins over whatever the provider threw. */
export function toNodeFailure(node: AgentNode, error: unknown, signal: AbortSignal): NodeFailure {
  if (signal.aborted && signal.reason instanceof LlmError) return { code: signal.reason.code, message: signal.reason.message, retryable: false };
  if (error instanceof LlmError) return { code: error.code, message: error.message, retryable: error.retryable };
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'agent_failed', message: `The ${node} agent failed: ${detail}`, retryable: false };
}
