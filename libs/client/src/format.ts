import type { RunResult } from '@koda/contracts';

/** Shared by the web page and the CLI, so both say the same thing the same way (French locale). */
const eur = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const integer = new Intl.NumberFormat('fr-FR');

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`;
}

export const formatCost = (costEur: number): string => eur.format(costEur);

export const formatInteger = (n: number): string => integer.format(n);

export const formatTokens = (tokens: number): string => `${integer.format(tokens)} tokens`;

/** "1,2 s · 975 tokens (700 entrée / 275 sortie) · 0,0029 €" */
export function formatResultMeta(result: Pick<RunResult, 'processing_time_ms' | 'tokens_used' | 'input_tokens' | 'output_tokens' | 'cost_eur'>): string {
  const tokens = `${formatTokens(result.tokens_used)} (${integer.format(result.input_tokens)} entrée / ${integer.format(result.output_tokens)} sortie)`;
  return [formatDuration(result.processing_time_ms), tokens, formatCost(result.cost_eur)].join(' · ');
}

export const formatConfidence = (confidence: number): string => `${Math.round(confidence * 100)} %`;
