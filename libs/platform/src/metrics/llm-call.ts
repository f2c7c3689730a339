import { SpanKind, withSpan } from '../tracing/tracing';
import { platformMetrics } from './koda-metrics';

/** What a completion (or a classification) reports, whatever the provider. */
export interface MeteredLlmResult {
  model: string;
  usage: { input_tokens: number; output_tokens: number };
  cost_eur: number;
  /** Requests sent again inside this call before it answered (429/529/5xx/connection). */
  retries?: number;
}

/**
 * One LLM call, by an agent or the router: a span of the run's trace (under the enclosing job
 * or turn span) with model, tokens, cost and retries, and the LLM series by model and agent.
 * Only the error's code is recorded on failure: messages are unbounded.
 */
export function measureLlmCall<R extends MeteredLlmResult>(agent: string, expectedModel: string, call: () => Promise<R>): Promise<R> {
  const attributes = { 'gen_ai.request.model': expectedModel, 'koda.agent': agent };
  return withSpan(`llm ${expectedModel}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const startedAt = Date.now();
    try {
      const result = await call();
      const model = result.model;
      const retries = result.retries ?? 0;
      span.setAttributes({
        'gen_ai.response.model': model,
        'gen_ai.usage.input_tokens': result.usage.input_tokens,
        'gen_ai.usage.output_tokens': result.usage.output_tokens,
        'koda.cost_eur': result.cost_eur,
        'koda.llm.retries': retries,
      });
      platformMetrics.llmRequests.inc({ model, agent, status: 'ok' });
      platformMetrics.llmDuration.observe({ model, agent }, (Date.now() - startedAt) / 1000);
      platformMetrics.llmTokens.inc({ model, agent, direction: 'input' }, result.usage.input_tokens);
      platformMetrics.llmTokens.inc({ model, agent, direction: 'output' }, result.usage.output_tokens);
      platformMetrics.llmCost.inc({ model, agent }, result.cost_eur);
      if (retries > 0) platformMetrics.llmRetries.inc({ model, agent }, retries);
      return result;
    } catch (error) {
      const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'error';
      span.setAttribute('error.type', code);
      platformMetrics.llmRequests.inc({ model: expectedModel, agent, status: code });
      platformMetrics.llmDuration.observe({ model: expectedModel, agent }, (Date.now() - startedAt) / 1000);
      throw error;
    }
  });
}
