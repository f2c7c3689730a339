import type { LlmProvider, LlmRequest, LlmResult } from '../provider';

/** A tool the model may call: name, what it does, and the JSON schema of its input. */
export interface ToolSpec {
  name: string;
  description: string;
  input_schema: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
}

export interface ToolLoopRequest extends LlmRequest {
  tools: ToolSpec[];
  /** Runs one call; its result (text, usually JSON) goes back to the model. Throwing ends the run. */
  runTool(name: string, input: unknown): Promise<string>;
  /** Model turns that may call tools; the next turn must answer (tools off). Default 4. */
  maxToolRounds?: number;
  /** Output tokens over all turns after which the model must answer. Default 4000. */
  maxTotalOutputTokens?: number;
}

export interface ToolLoopResult extends LlmResult {
  /** Model turns taken (tool calls and the answer). */
  rounds: number;
  toolCalls: number;
}

/** A provider that can run a tool loop (Anthropic); the offline model cannot. */
export interface ToolUseProvider extends LlmProvider {
  completeWithTools(request: ToolLoopRequest): Promise<ToolLoopResult>;
}

export function supportsTools(provider: LlmProvider): provider is ToolUseProvider {
  return typeof (provider as Partial<ToolUseProvider>).completeWithTools === 'function';
}

export const DEFAULT_MAX_TOOL_ROUNDS = 4;
export const DEFAULT_MAX_TOTAL_OUTPUT_TOKENS = 4000;
