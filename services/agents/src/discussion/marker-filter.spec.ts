import { MarkerFilter } from './marker-filter';

const run = (deltas: string[]) => {
  const filter = new MarkerFilter('[CONSENSUS]');
  return deltas.map((d) => filter.push(d)).join('') + filter.end();
};

describe('MarkerFilter', () => {
  it('drops a marker that arrives whole', () => {
    expect(run(['Je suis d’accord. ', '[CONSENSUS]'])).toBe('Je suis d’accord. ');
  });
  it('drops a marker split across deltas', () => {
    expect(run(['D’accord [CON', 'SEN', 'SUS] fin'])).toBe('D’accord  fin');
  });
  it('gives back held text that turned out not to be the marker', () => {
    expect(run(['a [C', 'at]'])).toBe('a [Cat]');
    expect(run(['tableau [CO'])).toBe('tableau [CO');
  });
});
