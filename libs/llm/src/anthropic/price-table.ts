import { z } from 'zod';

/**
 * Prices of Claude models on the Anthropic API, in USD per million tokens, and their conversion
 * to EUR (KODA reports `cost_eur`).
 *
 * Source: platform.claude.com/docs/en/about-claude/pricing ("Model pricing" and "Long context
 * pricing"), as listed for the models `@anthropic-ai/sdk` 1.14 knows (its `Model` type).
 * Models the SDK marks deprecated (claude-sonnet-4-5, claude-opus-4-5, claude-mythos-preview) are
 * kept only so that an operator still pinned to one gets a cost; KODA's defaults avoid them.
 * Claude Fable 5.2 and Mythos 5.x have no public list price we could confirm: add them through
 * `KODA_PRICE_TABLE` if you use them.
 */

export interface ModelPrice {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
  /**
   * Some models bill a whole request at higher rates once its prompt exceeds a threshold
   * (Claude Haiku 5.5: 5x above 100K input tokens).
   */
  longContext?: { aboveInputTokens: number; input: number; output: number };
}

export interface PriceTable {
  /** Model id (without a `-YYYYMMDD` snapshot suffix) → price. */
  models: Record<string, ModelPrice>;
  /** EUR per USD. */
  usdToEur: number;
}

/**
 * EUR per USD: the inverse of the ECB euro reference rate of 1 EUR = 1.1665 USD (an ECB daily
 * fixing from 2025; not re-checked at build time because the build has no network). Exchange
 * rates move: set `usd_to_eur` in `KODA_PRICE_TABLE` to keep reported costs current.
 */
export const USD_TO_EUR = 0.8573;

/** The model each agent uses unless `KODA_MODEL_PLUME` / `KODA_MODEL_MIMIR` say otherwise. */
export const DEFAULT_MODELS = {
  /** Writing and summarising: quality matters, Sonnet is the fast/strong middle ground. */
  plume: 'claude-sonnet-5-5',
  /** Answering from retrieved notes with citations: same trade-off as Plume. */
  mimir: 'claude-sonnet-5-5',
  /** Intent classification: short, latency-sensitive, high-volume — the cheapest fast model. */
  router: 'claude-haiku-5-5',
} as const;

export type AgentModels = { plume: string; mimir: string; router: string };

export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-1': { input: 10, output: 50 },
  'claude-fable-5': { input: 10, output: 50 },
  'claude-opus-5-5': { input: 4, output: 20 },
  'claude-opus-5': { input: 5, output: 25 },
  'claude-opus-4-8': { input: 5, output: 25 },
  'claude-opus-4-7': { input: 5, output: 25 },
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-sonnet-5-5': { input: 2, output: 10 },
  'claude-sonnet-5': { input: 2, output: 10 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    longContext: { aboveInputTokens: 100_000, input: 0.5, output: 2.5 },
  },
  'claude-haiku-4-5': { input: 1, output: 5 },
};

export const DEFAULT_PRICE_TABLE: PriceTable = {
  models: { ...DEFAULT_MODEL_PRICES },
  usdToEur: USD_TO_EUR,
};

// zod 4's strict objects: an unknown key (a typo such as `ouptut`) is an error, not ignored.
const PriceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  long_context: z
    .strictObject({
      above_input_tokens: z.number().int().positive(),
      input: z.number().nonnegative(),
      output: z.number().nonnegative(),
    })
    .optional(),
});

const OverrideSchema = z.strictObject({
  usd_to_eur: z.number().positive().optional(),
  models: z.record(z.string().min(1), PriceSchema).optional(),
});

/**
 * Builds the price table from the defaults and the `KODA_PRICE_TABLE` environment variable, a JSON
 * object such as
 * `{"usd_to_eur":0.86,"models":{"claude-sonnet-5-5":{"input":2,"output":10}}}`.
 * Listed models replace or add to the defaults; the others keep their default price.
 * Throws an Error naming `KODA_PRICE_TABLE` and the bad field, so the config loader can stop the
 * service with a readable message.
 */
export function parsePriceTableEnv(raw: string | undefined): PriceTable {
  if (raw === undefined || raw.trim() === '') return clone(DEFAULT_PRICE_TABLE);
  const parsed = OverrideSchema.safeParse(parseJson(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`KODA_PRICE_TABLE: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  const table = clone(DEFAULT_PRICE_TABLE);
  if (parsed.data.usd_to_eur !== undefined) table.usdToEur = parsed.data.usd_to_eur;
  for (const [model, price] of Object.entries(parsed.data.models ?? {})) {
    table.models[model] = fromEnvPrice(price);
  }
  return table;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error('KODA_PRICE_TABLE: not valid JSON');
  }
}

function fromEnvPrice(price: z.infer<typeof PriceSchema>): ModelPrice {
  const lc = price.long_context;
  return {
    input: price.input,
    output: price.output,
    ...(lc && { longContext: { aboveInputTokens: lc.above_input_tokens, input: lc.input, output: lc.output } }),
  };
}

function clone(table: PriceTable): PriceTable {
  return { models: { ...table.models }, usdToEur: table.usdToEur };
}

/** The price of a model, matching snapshot ids (`claude-haiku-4-5-20251001`) to their alias. */
export function findModelPrice(table: PriceTable, model: string): ModelPrice | undefined {
  return table.models[model] ?? table.models[model.replace(/-\d{8}$/, '')];
}

/** Cost of one call in EUR, rounded to a millionth of a euro (float noise otherwise shows). */
export function costEur(table: PriceTable, model: string, usage: { input_tokens: number; output_tokens: number }): number {
  const price = findModelPrice(table, model);
  if (!price) throw new Error(`No price for model "${model}": add it to KODA_PRICE_TABLE`);
  const tier = price.longContext && usage.input_tokens > price.longContext.aboveInputTokens ? price.longContext : price;
  const usd = (usage.input_tokens * tier.input + usage.output_tokens * tier.output) / 1_000_000;
  return Math.round(usd * table.usdToEur * 1e6) / 1e6;
}
