// Topology metrics on the real recordings (test/fixtures, a 2-CPU host) with
// topology files written for that host (one node; two nodes; one core with two
// SMT threads), against a naive reimplementation from the raw slices (one
// object per slice, co-running by counting slices at the midpoint of every
// elementary interval), and in the direction TRACES.md says the pinnings go.

import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, fixtureText, RECORDINGS } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns, type Run } from '../model/runs';
import type { HostTopology } from '../model/topology';
import { TaskKind } from '../model/types';
import { parseTopology } from '../parse/topology';
import { analyzeTopology, type TopologyMetrics } from './topology';

const TOPOLOGIES = ['host-2cpu.lscpu', 'host-2cpu-2node.lscpu', 'host-2cpu-smt.lscpu', 'host-2cpu-2node.numactl'];

interface Slice {
  task: number;
  cpu: number;
  start: number;
  end: number;
}

interface RefVm {
  nodeRun: Map<number, number>;
  nodeSpread: number | null;
  homeNodeFraction: number | null;
  crossNodeMigrationsPerSec: number | null;
  smtSiblingCoRunFraction: number | null;
}

/** The definitions of docs/metrics.md, written out the slow way (whole trace, all CPUs). */
function reference(run: Run, topo: HostTopology) {
  const m = run.model;
  const n = m.switches.length;
  const T0 = m.switches.time[0];
  const T1 = m.switches.time[n - 1];
  const D = T1 - T0;
  const node = new Map(topo.cpus.map((c) => [c.cpu, c.node]));
  const core = new Map(topo.cpus.map((c) => [c.cpu, c.core === null ? null : `${c.socket}:${c.core}`]));
  const slices: Slice[] = [];
  for (let i = 0; i < n; i++)
    slices.push({ task: m.switches.next[i], cpu: m.switches.cpu[i], start: m.switches.time[i], end: m.slices.end[i] });

  const vms: RefVm[] = run.vms.map((vm) => {
    const mine = new Set(vm.vcpus.map((v) => v.task));
    const own = slices.filter((s) => mine.has(s.task));
    const nodeRun = new Map<number, number>();
    for (const s of own) {
      const nd = node.get(s.cpu)!;
      nodeRun.set(nd, (nodeRun.get(nd) ?? 0) + (s.end - s.start));
    }
    const total = [...nodeRun.values()].reduce((a, b) => a + b, 0);
    const max = Math.max(0, ...nodeRun.values());
    // A switch-in whose previous slice of the same thread was on another node.
    let crossings = 0;
    for (const v of vm.vcpus) {
      const ins = own.filter((s) => s.task === v.task);
      for (let k = 1; k < ins.length; k++) if (node.get(ins[k].cpu) !== node.get(ins[k - 1].cpu)) crossings++;
    }
    // Co-running, by midpoints of elementary intervals.
    const cuts = [...new Set(own.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
    let two = 0;
    let sib = 0;
    for (let k = 0; k + 1 < cuts.length; k++) {
      const mid = (cuts[k] + cuts[k + 1]) / 2;
      const running = own.filter((s) => s.start < mid && mid < s.end);
      if (running.length < 2) continue;
      two += cuts[k + 1] - cuts[k];
      const cores = running.map((s) => core.get(s.cpu));
      if (cores.some((c, i) => c !== null && cores.indexOf(c) !== i)) sib += cuts[k + 1] - cuts[k];
    }
    return {
      nodeRun,
      nodeSpread: total > 0 ? [...nodeRun.values()].filter((r) => r > 0 && r >= 0.05 * total).length : null,
      homeNodeFraction: total > 0 ? max / total : null,
      crossNodeMigrationsPerSec: D > 0 ? (crossings * 1e9) / D : null,
      smtSiblingCoRunFraction: topo.hasCores && two > 0 ? sib / two : null,
    };
  });

  const nodes = topo.nodes.map((nd) => {
    let known = 0;
    let busy = 0;
    for (const s of slices) {
      if (node.get(s.cpu) !== nd) continue;
      known += s.end - s.start;
      if (m.tasks.kind[s.task] !== TaskKind.Idle) busy += s.end - s.start;
    }
    return { node: nd, busyFraction: known > 0 ? busy / known : null };
  });
  return { vms, nodes, D };
}

const close = (a: number | null, b: number | null) => {
  if (a === null || b === null) expect(a).toBe(b);
  else expect(a).toBeCloseTo(b, 9);
};

describe('topology metrics on the recordings, against the naive reference', () => {
  const runs = new Map<string, Run>();
  const topos = new Map<string, HostTopology>();
  beforeAll(async () => {
    for (const rec of RECORDINGS) {
      const r = assembleRuns(await loadInputs([fixturePath(`${rec}.script-pidtid.txt`)]));
      runs.set(rec, r[0]);
    }
    for (const t of TOPOLOGIES) topos.set(t, parseTopology(fixtureText(t)));
  });

  for (const rec of RECORDINGS) {
    for (const t of TOPOLOGIES) {
      it(`${rec} with ${t}`, () => {
        const run = runs.get(rec)!;
        const topo = topos.get(t)!;
        const got = analyzeTopology(run, topo);
        const ref = reference(run, topo);
        expect(got.vms).toHaveLength(run.vms.length);
        got.vms.forEach((v, i) => {
          const r = ref.vms[i];
          for (const { node, runUs } of v.nodeRunUs) expect(runUs).toBeCloseTo((r.nodeRun.get(node) ?? 0) / 1000, 6);
          expect(v.nodeSpread).toBe(r.nodeSpread);
          close(v.homeNodeFraction, r.homeNodeFraction);
          close(v.crossNodeMigrationsPerSec, r.crossNodeMigrationsPerSec);
          close(v.smtSiblingCoRunFraction, r.smtSiblingCoRunFraction);
        });
        got.nodes.forEach((nd, i) => close(nd.busyFraction, ref.nodes[i].busyFraction));
      });
    }
  }

  const metrics = (rec: string, t: string): TopologyMetrics => analyzeTopology(runs.get(rec)!, topos.get(t)!);

  it('one node: every VM at home, no cross-node migration; two cores of one node: no SMT co-running', () => {
    for (const rec of RECORDINGS) {
      for (const v of metrics(rec, 'host-2cpu.lscpu').vms) {
        if (v.nodeSpread === null) continue;
        expect(v.nodeSpread).toBe(1);
        expect(v.homeNodeFraction).toBe(1);
        expect(v.crossNodeMigrationsPerSec).toBe(0);
        expect(v.smtSiblingCoRunFraction === null || v.smtSiblingCoRunFraction === 0).toBe(true);
      }
    }
  });

  it('pinned: siblings on one CPU stay on one node; siblings on both CPUs spread over both nodes', () => {
    // pin-shared: all threads of VM v on CPU v % 2. pin-spread: thread k on CPU k % 2.
    for (const kind of ['spin', 'yield']) {
      const shared = metrics(`synth-4vm-x2vcpu-${kind}-pin-shared`, 'host-2cpu-2node.lscpu');
      const spread = metrics(`synth-4vm-x2vcpu-${kind}-pin-spread`, 'host-2cpu-2node.lscpu');
      for (const v of shared.vms) {
        expect(v.nodeSpread).toBe(1);
        expect(v.homeNodeFraction).toBe(1);
        expect(v.crossNodeMigrationsPerSec).toBe(0);
      }
      for (const v of spread.vms) {
        expect(v.nodeSpread).toBe(2);
        expect(v.homeNodeFraction).toBeLessThan(0.75);
        // Pinned threads never migrate, so they never change node either.
        expect(v.crossNodeMigrationsPerSec).toBe(0);
      }
      // Every node carries two VMs with pin-shared and all four with pin-spread.
      expect(shared.nodes.map((n) => n.vms.length)).toEqual([2, 2]);
      expect(spread.nodes.map((n) => n.vms.length)).toEqual([4, 4]);
      // On one SMT core, two vCPUs running at once are always siblings; pin-shared vCPUs never run at once.
      for (const v of metrics(`synth-4vm-x2vcpu-${kind}-pin-spread`, 'host-2cpu-smt.lscpu').vms)
        expect(v.smtSiblingCoRunFraction).toBe(1);
      for (const v of metrics(`synth-4vm-x2vcpu-${kind}-pin-shared`, 'host-2cpu-smt.lscpu').vms)
        expect(v.smtSiblingCoRunFraction).toBeNull();
    }
  });

  it('unpinned VMs change node as their threads migrate; numactl gives the lscpu node numbers', () => {
    const m = metrics('synth-4vm-x2vcpu-yield', 'host-2cpu-2node.lscpu');
    expect(m.vms.some((v) => (v.crossNodeMigrationsPerSec ?? 0) > 0)).toBe(true);
    const n = metrics('synth-4vm-x2vcpu-yield', 'host-2cpu-2node.numactl');
    expect(n.vms.map((v) => [v.nodeSpread, v.homeNodeFraction, v.crossNodeMigrationsPerSec])).toEqual(
      m.vms.map((v) => [v.nodeSpread, v.homeNodeFraction, v.crossNodeMigrationsPerSec]),
    );
    expect(n.nodes.map((x) => x.busyFraction)).toEqual(m.nodes.map((x) => x.busyFraction));
    expect(n.vms.every((v) => v.smtSiblingCoRunFraction === null)).toBe(true);
  });
});
