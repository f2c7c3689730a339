import { clientsNamed, commandDelta, parseCommandStats, scaleCalls, total } from './redis-probe';

describe('CLIENT LIST counting', () => {
  it('counts connections whose name starts with the prefix', () => {
    const list = [
      'id=1 addr=127.0.0.1:1 laddr=x fd=8 name=kb-1:gateway:cmd age=1',
      'id=2 addr=127.0.0.1:2 laddr=x fd=9 name=kb-1:gateway:relay:0 age=1',
      'id=3 addr=127.0.0.1:3 laddr=x fd=10 name=kb-1-bench:pub age=1',
      'id=4 addr=127.0.0.1:4 laddr=x fd=11 name= age=1',
    ].join('\n');
    expect(clientsNamed(list, 'kb-1:')).toBe(2);
    expect(clientsNamed(list, 'kb-1:gateway:relay')).toBe(1);
  });
});

describe('INFO commandstats', () => {
  const before = parseCommandStats('# Commandstats\r\ncmdstat_xadd:calls=10,usec=50,usec_per_call=5.00\r\ncmdstat_info:calls=3,usec=1\r\n');
  const after = parseCommandStats('cmdstat_xadd:calls=25,usec=90\r\ncmdstat_evalsha:calls=4,usec=9\r\ncmdstat_info:calls=9,usec=3\r\n');

  it('parses calls per command', () => {
    expect(before.get('xadd')).toBe(10);
  });

  it('diffs snapshots, ignoring the probes themselves and subtracting the background', () => {
    const delta = commandDelta(before, after, new Map([['xadd', 5]]));
    expect(Object.fromEntries(delta)).toEqual({ xadd: 10, evalsha: 4 });
    expect(total(delta)).toBe(14);
  });

  it('scales a background rate to another window', () => {
    expect(scaleCalls(new Map([['xread', 10]]), 2000, 5000).get('xread')).toBe(25);
  });
});
