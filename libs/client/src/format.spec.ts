import { formatConfidence, formatCost, formatDuration, formatResultMeta } from './format';
import { agentName } from './status';

// Intl uses narrow no-break spaces in French; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('formatting', () => {
  it('formats time, cost and tokens the French way', () => {
    expect(formatDuration(812)).toBe('812 ms');
    expect(plain(formatDuration(9820))).toBe('9,8 s');
    expect(plain(formatCost(0.0029))).toBe('0,0029 €');
    expect(plain(formatCost(0.5))).toBe('0,50 €');
    expect(formatConfidence(0.864)).toBe('86 %');
    expect(plain(formatResultMeta({ processing_time_ms: 1200, tokens_used: 1975, input_tokens: 1700, output_tokens: 275, cost_eur: 0.0296 }))).toBe(
      '1,2 s · 1 975 tokens (1 700 entrée / 275 sortie) · 0,0296 €',
    );
  });

  it('names agents', () => {
    expect(agentName('mimir')).toBe('Mimir');
    expect(agentName('synthesis')).toBe('Synthèse');
    expect(agentName('sceptique')).toBe('Sceptique');
  });
});
