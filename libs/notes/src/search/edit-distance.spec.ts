import { allowedEdits, editDistanceWithin } from './edit-distance';

describe('editDistanceWithin', () => {
  it('counts substitutions, insertions, deletions and transpositions as one edit', () => {
    expect(editDistanceWithin('someil', 'sommeil', 2)).toBe(1);
    expect(editDistanceWithin('stremas', 'streams', 2)).toBe(1);
    expect(editDistanceWithin('recete', 'recette', 2)).toBe(1);
    expect(editDistanceWithin('japn', 'japon', 2)).toBe(1);
  });

  it('gives up past the limit', () => {
    expect(editDistanceWithin('redis', 'python', 1)).toBe(2);
    expect(editDistanceWithin('a', 'abcdef', 2)).toBe(3);
  });

  it('tolerates no edit in short words, more in long ones', () => {
    expect([allowedEdits(4), allowedEdits(6), allowedEdits(10)]).toEqual([0, 1, 2]);
  });
});
