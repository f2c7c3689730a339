import { LIMITS } from '@koda/contracts';
import { checkJsonShape } from './json-shape';

const check = (text: string) => () => checkJsonShape(Buffer.from(text));

describe('checkJsonShape', () => {
  it('accepts ordinary bodies, brackets and colons inside strings included', () => {
    expect(check('{"message":"a [{:}] \\" {{{{ b","mode":"plume"}')).not.toThrow();
    expect(check(`${'['.repeat(LIMITS.jsonMaxDepth)}${']'.repeat(LIMITS.jsonMaxDepth)}`)).not.toThrow();
  });

  it('refuses deep nesting and key floods, naming the limit', () => {
    expect(check(`${'['.repeat(LIMITS.jsonMaxDepth + 1)}`)).toThrow(/nested deeper than/);
    expect(check(`{"a":${'{"a":'.repeat(100_000)}1}`)).toThrow(/nested deeper than/);
    const flood = `{${Array.from({ length: LIMITS.jsonMaxKeys + 1 }, (_, i) => `"k${i}":1`).join(',')}}`;
    expect(check(flood)).toThrow(/more than/);
  });
});
