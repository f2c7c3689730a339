import * as path from 'node:path';
import { FakeAnthropicServer } from '../../testing';
import type { LlmRequest } from '../provider';
import { AnthropicProvider } from './anthropic-provider';
import { costEur, DEFAULT_MODELS, DEFAULT_PRICE_TABLE, findModelPrice, parsePriceTableEnv, USD_TO_EUR } from './price-table';

/** The SDK's own list of deprecated models (it warns on console when one is used). */
function sdkDeprecatedModels(): Record<string, string> {
  const sdkDir = path.dirname(require.resolve('@anthropic-ai/sdk'));
  // Not an exported entry point of the package, hence the file path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file path, not an import the compiler can see
  return require(path.join(sdkDir, 'internal/data/deprecated-models.js')).DEPRECATED_MODELS;
}

describe('price table', () => {
  it('prices every default model', () => {
    for (const model of Object.values(DEFAULT_MODELS)) {
      expect(findModelPrice(DEFAULT_PRICE_TABLE, model)).toBeDefined();
    }
  });

  it('matches a snapshot id to its alias', () => {
    expect(findModelPrice(DEFAULT_PRICE_TABLE, 'claude-haiku-4-5-20251001')).toEqual({ input: 1, output: 5 });
  });

  it('bills a long Claude Haiku 5.5 prompt at its long-context rate', () => {
    const short = costEur(DEFAULT_PRICE_TABLE, 'claude-haiku-5-5', { input_tokens: 100_000, output_tokens: 1000 });
    const long = costEur(DEFAULT_PRICE_TABLE, 'claude-haiku-5-5', { input_tokens: 100_001, output_tokens: 1000 });

    expect(short).toBeCloseTo(((100_000 * 0.1 + 1000 * 0.5) / 1e6) * USD_TO_EUR, 6);
    expect(long).toBeCloseTo(((100_001 * 0.5 + 1000 * 2.5) / 1e6) * USD_TO_EUR, 6);
  });

  it('keeps the defaults when KODA_PRICE_TABLE is unset or blank', () => {
    expect(parsePriceTableEnv(undefined)).toEqual(DEFAULT_PRICE_TABLE);
    expect(parsePriceTableEnv('  ')).toEqual(DEFAULT_PRICE_TABLE);
  });

  it('merges KODA_PRICE_TABLE over the defaults', () => {
    const table = parsePriceTableEnv(
      JSON.stringify({
        usd_to_eur: 0.9,
        models: { 'claude-fable-5-2': { input: 12, output: 60, long_context: { above_input_tokens: 200000, input: 24, output: 120 } } },
      }),
    );

    expect(table.usdToEur).toBe(0.9);
    expect(table.models['claude-fable-5-2']).toEqual({ input: 12, output: 60, longContext: { aboveInputTokens: 200000, input: 24, output: 120 } });
    expect(table.models['claude-sonnet-5-5']).toEqual(DEFAULT_PRICE_TABLE.models['claude-sonnet-5-5']);
  });

  it.each([
    ['not json', /KODA_PRICE_TABLE: not valid JSON/],
    ['{"usd_to_eur":-1}', /KODA_PRICE_TABLE: usd_to_eur/],
    ['{"models":{"m":{"input":"2","output":10}}}', /KODA_PRICE_TABLE: models\.m\.input/],
    ['{"currency":"EUR"}', /KODA_PRICE_TABLE/],
  ])('rejects %s with a message naming the variable and field', (raw, message) => {
    expect(() => parsePriceTableEnv(raw)).toThrow(message);
  });
});

describe('default models and SDK deprecations', () => {
  it('uses no model the SDK lists as deprecated', () => {
    const deprecated = sdkDeprecatedModels();
    expect(Object.keys(deprecated).length).toBeGreaterThan(0);
    for (const model of Object.values(DEFAULT_MODELS)) expect(deprecated).not.toHaveProperty(model);
  });

  describe('through the SDK', () => {
    const fake = new FakeAnthropicServer();
    let baseURL: string;
    let warn: jest.SpyInstance;

    beforeAll(async () => {
      baseURL = await fake.start();
    });
    beforeEach(() => {
      warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => warn.mockRestore());
    afterAll(() => fake.stop());

    const ask = (provider: AnthropicProvider, agent: LlmRequest['agent']) =>
      provider.complete({
        agent,
        system: '',
        messages: [{ role: 'user', content: 'Bonjour' }],
        task: { kind: 'classify', message: 'Bonjour' },
        signal: new AbortController().signal,
        onText: () => undefined,
      });

    it('emits no deprecation warning for the default models', async () => {
      const provider = new AnthropicProvider({ apiKey: 'sk-test', baseURL });
      for (const agent of ['plume', 'mimir', 'router'] as const) await ask(provider, agent);

      expect(fake.requests.map((r) => r.model)).toEqual([DEFAULT_MODELS.plume, DEFAULT_MODELS.mimir, DEFAULT_MODELS.router]);
      expect(warn).not.toHaveBeenCalled();
    });

    it('would see the warning for a deprecated model (the check above can fail)', async () => {
      const provider = new AnthropicProvider({ apiKey: 'sk-test', baseURL, models: { plume: 'claude-sonnet-4-5' } });
      await ask(provider, 'plume');

      expect(warn).toHaveBeenCalledWith(expect.stringContaining("The model 'claude-sonnet-4-5' is deprecated"));
    });
  });
});
