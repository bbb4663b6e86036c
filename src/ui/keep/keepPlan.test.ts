import { describe, expect, it } from 'vitest';
import { filesOfRuns, mayKeep, planKeep } from './keepPlan';

describe('keeping traces across a reload', () => {
  it('only pages served over http(s) keep anything, and reports (which carry their traces) do not', () => {
    expect(mayKeep('https:', false)).toBe(true);
    expect(mayKeep('http:', false)).toBe(true);
    expect(mayKeep('file:', false)).toBe(false);
    expect(mayKeep('https:', true)).toBe(false);
  });

  it("each run's trace then its companions, a companion shared by runs once", () => {
    expect(
      filesOfRuns([
        { name: 'a.txt', companions: ['vms.csv', 'host.lscpu'] },
        { name: 'b.txt', companions: ['host.lscpu'] },
      ]),
    ).toEqual([['a.txt', 'vms.csv', 'host.lscpu'], ['b.txt']]);
  });

  it('keeps whole runs in order while they fit; the run that does not, and those after it, are not kept', () => {
    const f = (name: string, size: number) => ({ name, size });
    const runs = [[f('a', 40), f('a.csv', 5)], [f('b', 60)], [f('c', 10)]];
    const plan = planKeep(runs, 100);
    expect(plan.kept.map((x) => x.name)).toEqual(['a', 'a.csv']);
    expect(plan.notKept.map((x) => [x.item.name, x.why])).toEqual([
      ['b', 'over the storage quota'],
      ['c', 'over the storage quota'],
    ]);
    expect(planKeep(runs, 115).kept.map((x) => x.name)).toEqual(['a', 'a.csv', 'b', 'c']);
    expect(planKeep(runs, 0).kept).toEqual([]);
  });
});
