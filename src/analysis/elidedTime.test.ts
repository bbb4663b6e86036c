// The time a paste leaves out is unknown (docs/metrics.md: "Unknown time counts as neither busy nor idle"):
// on a real timehist with a stretch of rows behind `[...]`, the placeholder its rows before the mark switch
// in (TaskKind.Elided) is in no known time, so idleFraction and hostNoiseShare are the slices' own
// sums without it, and differ from what they were when its time counted as a host task's.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns, type Run } from '../model/runs';
import { TaskKind } from '../model/types';
import { analyzeRun } from './analyze';
import { makeTopology } from '../model/topology';
import { selectionBreakdown } from './panel';
import { analyzeTopology } from './topology';
import { resolveWindow } from './window';

async function cutTimehist(): Promise<Run> {
  const lines = fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt').split('\n');
  const file = join(mkdtempSync(join(tmpdir(), 'schedmap-elided-')), 'cut.timehist.txt');
  writeFileSync(file, [...lines.slice(0, 400), '[...]', ...lines.slice(1400)].join('\n'));
  const runs = assembleRuns(await loadInputs([file]));
  expect(runs).toHaveLength(1);
  return runs[0];
}

/** The part of [a, b) outside the model's gaps (one mark here: no overlapping rows). */
function outsideGaps(m: Run['model'], a: number, b: number): number {
  let len = b - a;
  for (let g = 0; g < m.gaps.length; g++) len -= Math.max(0, Math.min(b, m.gaps.end[g]) - Math.max(a, m.gaps.start[g]));
  return len;
}

/**
 * Per CPU, the slices' time by what ran: idle, host tasks, the elided placeholder, everything else. A slice's
 * time inside the gap is in none (a row after the mark whose switch-in the reader inferred inside it).
 */
function timeByCpu(run: Run): Map<number, { idle: number; host: number; elided: number; other: number }> {
  const m = run.model;
  const inVm = new Set(run.vms.flatMap((v) => [...v.vcpus, ...v.otherThreads].map((t) => t.task)));
  const out = new Map<number, { idle: number; host: number; elided: number; other: number }>();
  for (let i = 0; i < m.switches.length; i++) {
    const c = m.switches.cpu[i];
    const t = m.switches.next[i];
    const len = outsideGaps(m, m.switches.time[i], m.slices.end[i]);
    const e = out.get(c) ?? { idle: 0, host: 0, elided: 0, other: 0 };
    const kind = m.tasks.kind[t];
    if (kind === TaskKind.Idle) e.idle += len;
    else if (kind === TaskKind.Elided) e.elided += len;
    else if (!inVm.has(t)) e.host += len;
    else e.other += len;
    out.set(c, e);
  }
  return out;
}

describe('the time a paste leaves out counts as neither busy nor idle', () => {
  it('timehist with [...]: idleFraction and hostNoiseShare leave the elided placeholder out', async () => {
    const run = await cutTimehist();
    const m = run.model;
    expect(m.gaps.length).toBe(1);
    const a = analyzeRun(run);
    const byCpu = timeByCpu(run);
    expect(a.perCpu.length).toBe(2);
    for (const c of a.perCpu) {
      const e = byCpu.get(c.cpu)!;
      // The placeholder holds a good part of the cut on every CPU: counted as busy, it would show.
      const known = e.idle + e.host + e.other;
      expect(c.idleFraction).toBeCloseTo(e.idle / known, 9);
    }
    // Host noise: host time over known time on the CPUs each VM's vCPUs ran on (both CPUs here).
    expect(run.vms.length).toBeGreaterThan(0);
    let host = 0;
    let known = 0;
    let elided = 0;
    for (const e of byCpu.values()) {
      host += e.host;
      known += e.idle + e.host + e.other;
      elided += e.elided;
    }
    for (const vm of a.vms) expect(vm.hostNoiseShare).toBeCloseTo(host / known, 9);
    // The placeholder runs from each CPU's last row before the mark (a CPU whose last row is the gap's start has
    // none outside the gap): as a host task's, its time would have moved the shares far beyond the tolerance.
    expect(elided / known).toBeGreaterThan(1e-4);
  });

  it("a selection over the cut: the placeholder's time is unknown, not the host's", async () => {
    const run = await cutTimehist();
    const m = run.model;
    const w = resolveWindow(m, { range: [m.gaps.start[0] - 50e6, m.gaps.end[0] + 50e6] });
    const sel = selectionBreakdown(run, w);
    const byKind = { host: 0, elided: 0 };
    const inVm = new Set(run.vms.flatMap((v) => [...v.vcpus, ...v.otherThreads].map((t) => t.task)));
    for (let i = 0; i < m.switches.length; i++) {
      const t = m.switches.next[i];
      const a = Math.max(m.switches.time[i], w.start);
      const b = Math.min(m.slices.end[i], w.end);
      if (!(b > a)) continue;
      const len = outsideGaps(m, a, b);
      if (m.tasks.kind[t] === TaskKind.Elided) byKind.elided += len;
      else if (m.tasks.kind[t] !== TaskKind.Idle && !inVm.has(t)) byKind.host += len;
    }
    expect(byKind.elided).toBeGreaterThan(0);
    expect(sel.hostNs).toBeCloseTo(byKind.host, 0);
    expect(sel.unknownNs).toBeGreaterThanOrEqual(byKind.elided);
    // The gap itself is its own part, not unknown: the known CPU time is what the trace holds.
    expect(sel.gapNs).toBe((m.gaps.end[0] - m.gaps.start[0]) * sel.cpus);
    expect(sel.cpuTimeNs + sel.gapNs).toBe(sel.durationNs * sel.cpus);
    expect(sel.tasks.some((x) => m.tasks.kind[x.task] === TaskKind.Elided)).toBe(false);
  });

  it("a NUMA node's busy fraction leaves the placeholder's time out of its known time", async () => {
    const run = await cutTimehist();
    const byCpu = timeByCpu(run);
    // One node per CPU: each node's busy fraction is its CPU's.
    const topo = makeTopology(
      'lscpu',
      [0, 1].map((cpu) => ({ cpu, core: cpu, socket: cpu, node: cpu })),
    );
    const t = analyzeTopology(run, topo);
    expect(t.nodes.length).toBe(2);
    for (const n of t.nodes) {
      const e = byCpu.get(n.node)!;
      const known = e.idle + e.host + e.other;
      expect(n.knownUs).toBeCloseTo(known / 1000, 3);
      expect(n.busyFraction).toBeCloseTo((e.host + e.other) / known, 9);
    }
  });
});
