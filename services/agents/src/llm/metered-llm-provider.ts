import { OFFLINE_MODEL, supportsTools, type LlmProvider, type LlmRequest, type LlmResult, type ToolLoopRequest, type ToolUseProvider } from '@koda/llm';
import { measureLlmCall } from '@koda/platform';

/**
 * Counts every completion of a provider (requests by model, agent and status, their duration,
 * tokens, cost and retries) and makes each one a span of the run's trace. Keeps the provider's
 * shape: a tool-capable provider stays tool-capable.
 */
export function meteredLlmProvider(provider: LlmProvider): LlmProvider {
  const modelFor = (agent: LlmRequest['agent']): string =>
    (provider as { modelFor?: (a: LlmRequest['agent']) => string }).modelFor?.(agent) ?? (provider.name === 'offline' ? OFFLINE_MODEL : provider.name);
  const metered = <R extends LlmResult>(request: LlmRequest, call: () => Promise<R>) => measureLlmCall(request.agent, modelFor(request.agent), call);
  const wrapped: LlmProvider = { name: provider.name, complete: (request) => metered(request, () => provider.complete(request)) };
  if (!supportsTools(provider)) return wrapped;
  const tools: ToolUseProvider = { ...wrapped, completeWithTools: (request: ToolLoopRequest) => metered(request, () => provider.completeWithTools(request)) };
  return tools;
}
