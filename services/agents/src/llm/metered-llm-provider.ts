import { LlmError, OFFLINE_MODEL, supportsTools, type LlmProvider, type LlmRequest, type LlmResult, type ToolLoopRequest, type ToolUseProvider } from '@koda/llm';
import { platformMetrics, SpanKind, withSpan } from '@koda/platform';

/**
 * Counts every completion of a provider: requests by model, agent and status, their duration,
 * tokens and cost. Keeps the provider's shape: a tool-capable provider stays tool-capable.
 */
export function meteredLlmProvider(provider: LlmProvider): LlmProvider {
  const modelFor = (agent: LlmRequest['agent']): string => (provider as { modelFor?: (a: LlmRequest['agent']) => string }).modelFor?.(agent) ?? (provider.name === 'offline' ? OFFLINE_MODEL : provider.name);
  const metered = <R extends LlmResult>(request: LlmRequest, call: () => Promise<R>) => measure(request.agent, modelFor(request.agent), call);
  const wrapped: LlmProvider = { name: provider.name, complete: (request) => metered(request, () => provider.complete(request)) };
  if (!supportsTools(provider)) return wrapped;
  const tools: ToolUseProvider = { ...wrapped, completeWithTools: (request: ToolLoopRequest) => metered(request, () => provider.completeWithTools(request)) };
  return tools;
}

/** One LLM call: a span of the run's trace (under the agent job's) and its series. */
function measure<R extends LlmResult>(agent: string, expectedModel: string, call: () => Promise<R>): Promise<R> {
  const attributes = { 'gen_ai.request.model': expectedModel, 'koda.agent': agent };
  return withSpan(`llm ${expectedModel}`, { service: `agent`, kind: SpanKind.CLIENT, attributes }, async (span) => {
    const result = await count(agent, expectedModel, call);
    span.setAttributes({ 'gen_ai.response.model': result.model, 'gen_ai.usage.input_tokens': result.usage.input_tokens, 'gen_ai.usage.output_tokens': result.usage.output_tokens, 'koda.cost_eur': result.cost_eur });
    return result;
  });
}

async function count<R extends LlmResult>(agent: string, expectedModel: string, call: () => Promise<R>): Promise<R> {
  const startedAt = Date.now();
  try {
    const result = await call();
    const model = result.model;
    platformMetrics.llmRequests.inc({ model, agent, status: 'ok' });
    platformMetrics.llmDuration.observe({ model, agent }, (Date.now() - startedAt) / 1000);
    platformMetrics.llmTokens.inc({ model, agent, direction: 'input' }, result.usage.input_tokens);
    platformMetrics.llmTokens.inc({ model, agent, direction: 'output' }, result.usage.output_tokens);
    platformMetrics.llmCost.inc({ model, agent }, result.cost_eur);
    return result;
  } catch (error) {
    // Only the error's code: messages are unbounded.
    platformMetrics.llmRequests.inc({ model: expectedModel, agent, status: error instanceof LlmError ? error.code : 'error' });
    platformMetrics.llmDuration.observe({ model: expectedModel, agent }, (Date.now() - startedAt) / 1000);
    throw error;
  }
}
