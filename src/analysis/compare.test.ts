import { describe, expect, it } from 'vitest';
import type { RunMetrics, VmMetrics } from './metrics';
import { colorVmNames, compareRuns, difference, HOST_ROW, matchVms, summarizeComparison } from './compare';
import { HOST_METRICS, judgeText, VM_METRICS, vmMetricsFor } from './catalogue';
import { standardError, type MetricNoise } from './noise';

function vm(name: string, fields: Partial<VmMetrics> = {}): VmMetrics {
  return {
    name,
    vcpuCount: 2,
    k: 2,
    gangScore: 0.5,
    gangScoreIndependent: 0.5,
    coScheduling: 0,
    allRunningFraction: 0,
    coRunHistogram: [0.5, 0.5, 0],
    coRunIndependent: [0.25, 0.5, 0.25],
    runSliceMedianUs: 4000,
    runSliceP90Us: 4000,
    runSliceP99Us: 4000,
    runSliceMaxUs: 4000,
    switchInsPerSec: 100,
    siblingHandoffs: 100,
    siblingHandoffsPerSec: 100,
    cpuShare: 0.25,
    hostNoiseShare: 0.01,
    vcpuMigrationsPerSec: 0,
    preemptedVcpusMean: 1.5,
    runDelayP50Us: null,
    runDelayP99Us: null,
    pleExitsPerSec: null,
    exitReasons: null,
    vcpus: [],
    ...fields,
  };
}

function run(vms: VmMetrics[], switchesPerSecPerCpu = 250, idle: (number | null)[] = [0, 0.5]): RunMetrics {
  return {
    window: { startUs: 0, endUs: 2e6, durationUs: 2e6, cpus: [0, 1] },
    switchesPerSecPerCpu,
    perCpu: idle.map((f, cpu) => ({ cpu, switches: 1, switchesPerSec: 1, idleFraction: f })),
    vms,
  };
}

const VM_COMPARE_METRICS = vmMetricsFor(false);

describe('matchVms', () => {
  it('pairs by name when names are shared, whatever the order', () => {
    const g = matchVms([
      ['web', 'db', 'cache'],
      ['db', 'web', 'batch'],
    ]);
    expect(g.map((x) => [x.name, x.members])).toEqual([
      ['web', [0, 1]],
      ['db', [1, 0]],
      ['cache', [0 + 2, null]],
      ['batch', [null, 2]],
    ]);
    expect(g[3].names).toEqual([null, 'batch']);
  });

  it('pairs by order when no name is shared (names from process ids)', () => {
    const g = matchVms([
      ['vm7798', 'vm7801', 'vm7804'],
      ['vm7979', 'vm7980'],
    ]);
    expect(g.map((x) => x.members)).toEqual([
      [0, 0],
      [1, 1],
      [2, null],
    ]);
    expect(g[1].names).toEqual(['vm7801', 'vm7980']);
  });

  it('lets the user re-pair (and unpair)', () => {
    const names = [
      ['a', 'b'],
      ['x', 'y'],
    ];
    // Swap: ref a ↔ y; b loses y and stays unpaired, x becomes its own group.
    const g = matchVms(names, [undefined, { 0: 1 }]);
    expect(g.map((x) => [x.name, x.members])).toEqual([
      ['a', [0, 1]],
      ['b', [1, null]],
      ['x', [null, 0]],
    ]);
    const g2 = matchVms(names, [undefined, { 0: 1, 1: 0 }]);
    expect(g2.map((x) => x.members)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const g3 = matchVms(names, [undefined, { 1: -1 }]);
    expect(g3.map((x) => x.members)).toEqual([
      [0, 0],
      [1, null],
      [null, 1],
    ]);
  });

  it('three runs: each paired with the reference', () => {
    const g = matchVms([
      ['a', 'b'],
      ['b', 'a'],
      ['p', 'q'],
    ]);
    expect(g.map((x) => x.members)).toEqual([
      [0, 1, 0],
      [1, 0, 1],
    ]);
  });

  it('colour slots: paired VMs share a slot, whatever their names', () => {
    const g = matchVms(
      [
        ['a', 'b'],
        ['y', 'x', 'z'],
      ],
      [undefined, { 0: 1, 1: 0 }],
    );
    expect(colorVmNames(g, ['a', 'b'], 0)).toEqual(['a', 'b', '\u0000unpaired:2']);
    expect(colorVmNames(g, ['y', 'x', 'z'], 1)).toEqual(['x', 'y', 'z']);
  });
});

describe('difference and verdicts', () => {
  it('marks better / worse only where there is a direction', () => {
    expect(difference('higher', 0.5, 0.6)).toEqual({
      abs: 0.09999999999999998,
      rel: 0.19999999999999996,
      direction: 'higher',
      noise: null,
      verdict: 'better',
    });
    expect(difference('higher', 0.6, 0.5)!.verdict).toBe('worse');
    expect(difference('lower', 100, 0)).toEqual({
      abs: -100,
      rel: -1,
      direction: 'lower',
      noise: null,
      verdict: 'better',
    });
    expect(difference('lower', 0, 3)).toEqual({ abs: 3, rel: null, direction: 'lower', noise: null, verdict: 'worse' });
    expect(difference(null, 4000, 2000)).toEqual({
      abs: -2000,
      rel: -0.5,
      direction: null,
      noise: null,
      verdict: 'none',
    });
    // Within 1%: same.
    expect(difference('higher', 0.25, 0.251)!.verdict).toBe('same');
    expect(difference('higher', 0, 0)!.verdict).toBe('same');
    expect(difference('higher', null, 0.2)).toBeNull();
    expect(difference('higher', 0.2, null)).toBeNull();
  });

  it('the catalogue judges as the issue says: rates and co-scheduling, no verdict for slices and switch rates', () => {
    const judge = Object.fromEntries(
      [...VM_METRICS, ...HOST_METRICS].map((m) => [
        m.key,
        m.judge.kind === 'direction' ? m.judge.better : m.judge.kind,
      ]),
    );
    expect(judge).toEqual({
      coScheduling: 'context',
      gangScore: 'context',
      gangScoreIndependent: 'none',
      allRunningFraction: 'higher',
      pleExitsPerSec: 'lower',
      siblingHandoffsPerSec: 'lower',
      siblingHandoffs: 'none',
      runSliceMedianUs: 'none',
      runSliceP90Us: 'none',
      runSliceP99Us: 'none',
      runSliceMaxUs: 'none',
      switchInsPerSec: 'none',
      cpuShare: 'higher',
      hostNoiseShare: 'lower',
      vcpuMigrationsPerSec: 'lower',
      preemptedVcpusMean: 'lower',
      runDelayP50Us: 'lower',
      runDelayP99Us: 'lower',
      nodeSpread: 'lower',
      homeNodeFraction: 'higher',
      crossNodeMigrationsPerSec: 'lower',
      smtSiblingCoRunFraction: 'none',
      localRunFraction: 'higher',
      memoryMb: 'none',
      memoryHomeNode: 'none',
      numaBalancingPerSec: 'none',
      switchesPerSecPerCpu: 'none',
      idleFraction: 'none',
    });
    // Keys are unique and every entry says how it is judged.
    const keys = [...VM_METRICS, ...HOST_METRICS].map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of [...VM_METRICS, ...HOST_METRICS]) expect(judgeText(m.judge)).not.toBe('');
  });

  it('context rules: gang score only at the same baseline, co-scheduling only for VMs of 2+ vCPUs', () => {
    const g = matchVms([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    const before = run([
      vm('a', { gangScore: 0.5, gangScoreIndependent: 0.5, coScheduling: 0 }),
      vm('b', { vcpuCount: 1, k: 1, gangScore: 1, gangScoreIndependent: 1, coScheduling: 0.2 }),
    ]);
    // a: gang score up, but only because its baseline went up (more CPU share): no verdict on it.
    const moved = run([
      vm('a', { gangScore: 0.6, gangScoreIndependent: 0.6, coScheduling: 0 }),
      vm('b', { vcpuCount: 1, k: 1, gangScore: 1, gangScoreIndependent: 1, coScheduling: 0.4 }),
    ]);
    const row = (rows: ReturnType<typeof compareRuns>, name: string, key: string) =>
      rows.find((r) => r.vm === name && r.metric.key === key)!.diffs[1]!;
    const r1 = compareRuns([before, moved], g);
    expect(row(r1, 'a', 'gangScore')).toMatchObject({ direction: null, verdict: 'none' });
    expect(row(r1, 'a', 'coScheduling')).toMatchObject({ direction: 'higher', verdict: 'same' });
    expect(row(r1, 'b', 'coScheduling')).toMatchObject({ direction: null, verdict: 'none' });
    // Same baseline: the gang score is judged.
    const ganged = run([vm('a', { gangScore: 0.7, gangScoreIndependent: 0.5, coScheduling: 0.4 }), vm('b')]);
    const r2 = compareRuns([before, ganged], g);
    expect(row(r2, 'a', 'gangScore')).toMatchObject({ direction: 'higher', verdict: 'better' });
    expect(row(r2, 'a', 'coScheduling')).toMatchObject({ direction: 'higher', verdict: 'better' });
  });
});

describe('compareRuns and the summary', () => {
  const shared = run([
    vm('vm1', { gangScore: 0.5, siblingHandoffs: 200, siblingHandoffsPerSec: 100 }),
    vm('vm2', { gangScore: 0.5, siblingHandoffs: 180, siblingHandoffsPerSec: 90 }),
  ]);
  const spread = run(
    [
      vm('vm8', { gangScore: 0.57, siblingHandoffs: 0, siblingHandoffsPerSec: 0, runSliceMedianUs: 2000 }),
      vm('vm9', { gangScore: 0.59, siblingHandoffs: 0, siblingHandoffsPerSec: 0, switchInsPerSec: 101 }),
    ],
    260,
    [0, 0.4],
  );
  const groups = matchVms([
    ['vm1', 'vm2'],
    ['vm8', 'vm9'],
  ]);
  const rows = compareRuns([shared, spread], groups);

  it('one row per VM × metric plus host rows, differences against the first run', () => {
    // Rows with no value in either run (run delays, PLE exits: no wakeups or kvm exits) are left out.
    const empty = ['runDelayP50Us', 'runDelayP99Us', 'pleExitsPerSec'];
    expect(rows).toHaveLength(2 * (VM_COMPARE_METRICS.length - empty.length) + 2);
    expect(rows.some((r) => empty.includes(r.metric.key))).toBe(false);
    const gang = rows.filter((r) => r.metric.key === 'gangScore');
    expect(gang.map((r) => [r.vm, r.values, r.diffs[1]?.verdict])).toEqual([
      ['vm1', [0.5, 0.57], 'better'],
      ['vm2', [0.5, 0.59], 'better'],
    ]);
    expect(gang[0].diffs[0]).toBeNull();
    const host = rows.filter((r) => r.vm === HOST_ROW);
    expect(host.map((r) => [r.metric.key, r.values, r.diffs[1]?.verdict])).toEqual([
      ['switchesPerSecPerCpu', [250, 260], 'none'],
      ['idleFraction', [0.25, 0.2], 'none'],
    ]);
  });

  it('a VM only in one run has nulls elsewhere', () => {
    const g = matchVms([['a'], ['a', 'b']]);
    const r = compareRuns([run([vm('a')]), run([vm('a'), vm('b', { gangScore: 0.9 })])], g);
    const b = r.find((x) => x.vm === 'b' && x.metric.key === 'gangScore')!;
    expect(b.values).toEqual([null, 0.9]);
    expect(b.diffs[1]).toBeNull();
  });

  it('leads with co-scheduling, PLE exits/s and sibling handoffs/s, names the windows, then the facts', () => {
    const s = summarizeComparison(rows, ['PLE off', 'PLE on'], { windows: ['0.000–2.000 s', '0.500–1.500 s'] });
    expect(s).toBe(
      'PLE on against PLE off (0.500–1.500 s against 0.000–2.000 s): ' +
        'co-scheduling within noise in both VMs; sibling handoffs/s better in both VMs (mean −100%; vm1 100 → 0, −100%); ' +
        'gang score better in both VMs (mean +0.08; vm2 0.5 → 0.59, +0.09). ' +
        // One unit for both values of a fact.
        'Without a verdict: slice p50 mean −25%; vm1 4 ms → 2 ms, −50%; switch-ins/s mean +0.50%; vm2 100 → 101, +1.0%.',
    );
    expect(summarizeComparison(rows, ['only'])).toBe('');
  });

  it('other marked metrics after the lead (same way in every VM first); a change from 0 has no percentage', () => {
    const a = run([
      vm('p', { allRunningFraction: 0, hostNoiseShare: 0.003, coScheduling: 0.1 }),
      vm('q', { allRunningFraction: 0, hostNoiseShare: 0.01, coScheduling: 0.1 }),
    ]);
    const b = run([
      // Host noise triples in one VM and halves in the other: large, but mixed.
      vm('p', { allRunningFraction: 0.133, hostNoiseShare: 0.009, coScheduling: 0.3 }),
      vm('q', { allRunningFraction: 0.2, hostNoiseShare: 0.005, coScheduling: 0.1 }),
    ]);
    const s = summarizeComparison(
      compareRuns(
        [a, b],
        matchVms([
          ['p', 'q'],
          ['p', 'q'],
        ]),
      ),
      ['off', 'on'],
      { maxOthers: 2 },
    );
    expect(s).toBe(
      // A score's change is absolute (a relative change of a number near 0 says nothing).
      'on against off: co-scheduling better in 1 of 2 VMs (mean +0.1; p 0.1 → 0.3, +0.2); ' +
        'sibling handoffs/s within noise in both VMs; all running better in both VMs (q 0% → 20%); ' +
        'host noise better in 1 and worse in 1 of 2 VMs (mean +75%; p 0.3% → 0.9%, +200%). ' +
        'Without a verdict: slice p50 unchanged; switch-ins/s unchanged.',
    );
  });

  it('says so when nothing has a verdict to give', () => {
    const same = compareRuns(
      [shared, shared],
      matchVms([
        ['vm1', 'vm2'],
        ['vm1', 'vm2'],
      ]),
    );
    expect(summarizeComparison(same, ['a', 'b'])).toMatch(/^b against a: .*within noise|no metric/);
  });
});

describe('verdicts beyond noise', () => {
  const noiseOf = (vms: Record<string, number | null>[]): MetricNoise => ({
    subWindows: 10,
    subWindowNs: 1e8,
    vms,
    host: {},
  });
  const g = matchVms([['a'], ['a']]);
  const a = run([vm('a', { pleExitsPerSec: 1000, siblingHandoffsPerSec: 50 })]);
  const b = run([vm('a', { pleExitsPerSec: 900, siblingHandoffsPerSec: 10 })]);
  const at = (rows: ReturnType<typeof compareRuns>, key: string) => rows.find((r) => r.metric.key === key)!;

  it('marks a difference only beyond twice the larger standard error; unknown noise gives no verdict', () => {
    const rows = compareRuns([a, b], g, {
      noise: [
        noiseOf([{ pleExitsPerSec: 30, siblingHandoffsPerSec: 5 }]),
        noiseOf([{ pleExitsPerSec: 60, siblingHandoffsPerSec: null }]),
      ],
    });
    // −100 against a bound of 2 × 60: within noise.
    expect(at(rows, 'pleExitsPerSec').diffs[1]).toMatchObject({ abs: -100, noise: 120, verdict: 'same' });
    expect(at(rows, 'pleExitsPerSec').errors).toEqual([30, 60]);
    // −40 against 2 × 5 (the other run's noise is unknown: the known one bounds it).
    expect(at(rows, 'siblingHandoffsPerSec').diffs[1]).toMatchObject({ abs: -40, noise: 10, verdict: 'better' });
    // Neither run's noise known: no verdict, though the metric has a direction.
    expect(at(rows, 'cpuShare').diffs[1]).toMatchObject({ direction: 'higher', noise: null, verdict: 'none' });
  });

  it('without noise estimates, the 1% tolerance decides', () => {
    const rows = compareRuns([a, b], g);
    expect(at(rows, 'pleExitsPerSec').diffs[1]).toMatchObject({ noise: null, verdict: 'better' });
  });

  it('standardError: sample sd / sqrt(n), null below two values', () => {
    expect(standardError([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(standardError([1, null, 3])).toBeCloseTo(1, 12);
    expect(standardError([5])).toBeNull();
  });
});
