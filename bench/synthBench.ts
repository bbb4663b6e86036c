// Two bench parts for the host simulator (src/synth):
//  synth  speed: `schedmap synth` simulating and writing 2 s of the talk's host
//         (80 CPUs, 8 VMs × 20 vCPUs), next to `schedmap analyze FILE --json`
//         on the trace it wrote, both as processes from start to exit, in the
//         same run; per policy (ple-on, the default, and gang).
//  talk   the result tables of docs/simulator.md: the talk's ratios over
//         policies × seeds and over the sensitivity sweep (not a speed figure).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SynthPolicy } from '../src/synth/schedule';
import { MEDIUM, spearman, TALK, talkRun, type TalkRun } from '../src/synth/talkRun';
import { DEFAULT_KNOBS, YIELD_CANDIDATES, type SimKnobs } from '../src/synth/params';

export interface SynthSpeedRow {
  policy: SynthPolicy;
  format: string;
  seconds: number;
  bytes: number;
  synthMs: number;
  analyzeMs: number;
  /** synth / analyze: the goal is at most 4. */
  synthVsAnalyze: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/schedmap.mjs', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`schedmap ${args[0]} failed: ${r.stderr.toString()}`);
  return performance.now() - t;
}

export function runSynthSpeedBench(policies: SynthPolicy[], seconds: number, format: string, repeats: number): SynthSpeedRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-synth-bench-'));
  const rows: SynthSpeedRow[] = [];
  try {
    for (const policy of policies) {
      const out = join(dir, `${policy}.txt`);
      const synth: number[] = [];
      const analyze: number[] = [];
      for (let r = 0; r < repeats; r++) {
        synth.push(timed(['synth', '--cpus', '80', '--vms', '8', '--vcpus', '20', '--seconds', String(seconds), '--policy', policy, '--format', format, '-o', out]));
        analyze.push(timed(['analyze', out, '--json']));
      }
      const synthMs = median(synth);
      const analyzeMs = median(analyze);
      rows.push({ policy, format, seconds, bytes: statSync(out).size, synthMs, analyzeMs, synthVsAnalyze: synthMs / analyzeMs });
      rmSync(out, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const POLICIES: SynthPolicy[] = ['ple-off', 'ple-on', 'throttled-yield', 'gang'];

interface SweepRow {
  label: string;
  runs: Record<string, TalkRun>;
  medium: { on: TalkRun; gang: TalkRun };
}

function sweepRow(label: string, knobs: Partial<SimKnobs>, seed = 1): SweepRow {
  const runs = Object.fromEntries(POLICIES.map((p) => [p, talkRun(p, seed, TALK, knobs)]));
  return { label, runs, medium: { on: talkRun('ple-on', seed, MEDIUM, knobs), gang: talkRun('gang', seed, MEDIUM, knobs) } };
}

const f2 = (x: number): string => x.toFixed(2);
const k = (x: number): string => `${(x / 1000).toFixed(0)}k`;

const d0 = DEFAULT_KNOBS;
/** The sensitivity sweep: one knob at a time, at seed 1. */
const SWEEP: [string, Partial<SimKnobs>][] = [
  ['defaults', {}],
  [`ple_window × 0.5 (${d0.pleWindow / 2})`, { pleWindow: d0.pleWindow / 2 }],
  [`ple_window × 2 (${d0.pleWindow * 2})`, { pleWindow: d0.pleWindow * 2 }],
  [`sections × 0.5 (${d0.sectionUs / 2} µs)`, { sectionUs: d0.sectionUs / 2 }],
  [`sections × 2 (${d0.sectionUs * 2} µs)`, { sectionUs: d0.sectionUs * 2 }],
];

const ratioHeader =
  '| setting | on/off (≥ 5) | gang/on (≥ 2) | throttled/gang (≥ 0.8) | 10-vCPU on/gang (≥ 0.6) | coScheduling gang / throttled / on | slice median µs on / throttled | PLE exits /VM/s on / throttled |\n|---|---|---|---|---|---|---|---|\n';

/** One row of the ratio tables; returns the four work ratios. */
function ratioLine(row: SweepRow, out: (s: string) => void): number[] {
  const r = row.runs;
  const vals = [
    r['ple-on'].work / Math.max(1, r['ple-off'].work),
    r.gang.work / r['ple-on'].work,
    r['throttled-yield'].work / r.gang.work,
    row.medium.on.work / row.medium.gang.work,
  ];
  out(
    `| ${row.label} | ${vals.map(f2).join(' | ')} | ${[r.gang, r['throttled-yield'], r['ple-on']].map((x) => x.coScheduling.toFixed(2)).join(' / ')} | ${r['ple-on'].runSliceMedianUs.toFixed(1)} / ${r['throttled-yield'].runSliceMedianUs.toFixed(1)} | ${k(r['ple-on'].pleExitsPerSec)} / ${k(r['throttled-yield'].pleExitsPerSec)} |\n`,
  );
  return vals;
}

const HOST_HEADER =
  '| setting | policy | guest non-spin % | guest spin % | vCPU in host % | of it PAUSE handler % | idle % | vCPU switches /CPU/s | PLE exits → yield_to % / yield() % | yields keeping the CPU % | boosts to holder or next waiter % | boosts preempting another VM % |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n';

function hostLine(label: string, policy: string, r: TalkRun, out: (s: string) => void): void {
  const h = r.host;
  const c = h.cpuNs;
  const pc = (x: number, of: number): string => (of > 0 ? ((100 * x) / of).toFixed(1) : '–');
  const boosts = h.pleHandler.yieldTo;
  out(
    `| ${label} | ${policy} | ${pc(c.guest - c.guestSpin, c.total)} | ${pc(c.guestSpin, c.total)} | ${pc(c.vcpuHost, c.total)} | ${pc(c.pleScan + c.rqLockWait + c.rqLockHeld, c.total)} | ${pc(c.idle, c.total)} | ${k(h.vcpuSlices.count / (c.total / 1e9))} | ${pc(h.pleHandler.yieldTo, h.pleHandler.exits)} / ${pc(h.pleHandler.throttledYield, h.pleHandler.exits)} | ${pc(h.pleHandler.yieldKeptCpu, h.pleHandler.yieldTo + h.pleHandler.throttledYield)} | ${pc(h.boosted.holder + h.boosted.nextWaiter, boosts)} | ${pc(h.boostPreempted.otherVm, boosts)} |\n`,
  );
};

/** Markdown tables: per policy and seed, then the talk's ratios over the sweep. */
export function talkTables(out: (s: string) => void): Record<string, unknown> {
  out('\n### Policies × seeds (8 VMs × 20 vCPUs on 80 CPUs, 0.1 s recorded after 0.1 s)\n\n');
  out('| policy | seed | guest work /VM/s | coScheduling | run-slice median µs | PLE exits /VM/s |\n|---|---|---|---|---|---|\n');
  const work: number[] = [];
  const co: number[] = [];
  for (const seed of [1, 2, 3])
    for (const p of POLICIES) {
      const r = talkRun(p, seed, TALK);
      work.push(r.work);
      co.push(Math.round(r.coScheduling * 100) / 100);
      out(`| ${p} | ${seed} | ${k(r.work)} | ${r.coScheduling.toFixed(3)} | ${r.runSliceMedianUs.toFixed(1)} | ${k(r.pleExitsPerSec)} |\n`);
    }
  const rho = spearman(work, co);
  out(`\nSpearman(guest work, coScheduling to 0.01) over the 12 runs: ${f2(rho)}\n`);
  const sweep = SWEEP.map(([label, knobs]) => sweepRow(label, knobs));
  const ratios: Record<string, number[]> = {};
  const ratioRow = (row: SweepRow): void => {
    ratios[row.label] = ratioLine(row, out);
  };
  out('\n### The talk\'s ratios over the sweep (seed 1)\n\n' + ratioHeader);
  sweep.forEach(ratioRow);
  // Not the sweep: how the figures move with the guest's lock load (docs/simulator.md, the targets).
  out('\n### The guest\'s lock load (seed 1; the default lock is 50 % busy when a VM\'s 20 vCPUs all run)\n\n' + ratioHeader);
  ratioRow(sweep[0]);
  const d = DEFAULT_KNOBS;
  for (const w of [100, 200, 400]) ratioRow(sweepRow(`work ${w} µs (lock ${Math.round(2000 / (w + d.sectionUs))} % busy)`, { workUs: w }));
  ratioRow(sweepRow(`4 locks, work 9 µs (each 50 % busy)`, { locks: 4, workUs: 9 }));
  ratioRow(sweepRow('test-and-set locks (--lock tas)', { lockKind: 'tas' }));
  out('\n### Boost candidates (seed 1, 8 × 20 on 80, ple-on; --yield-candidates)\n\n| candidates | guest work /VM/s | run-slice median µs | PLE exits /VM/s | boosts to holder / next waiter / waiter / working % |\n|---|---|---|---|---|\n');
  for (const yieldCandidates of YIELD_CANDIDATES) {
    const r = yieldCandidates === 'all' ? sweep[0].runs['ple-on'] : talkRun('ple-on', 1, TALK, { yieldCandidates });
    const b = r.host.boosted;
    const pc = (x: number): string => ((100 * x) / Math.max(1, r.host.pleHandler.yieldTo)).toFixed(0);
    out(`| ${yieldCandidates} | ${k(r.work)} | ${r.runSliceMedianUs.toFixed(1)} | ${k(r.pleExitsPerSec)} | ${[b.holder, b.nextWaiter, b.waiter, b.working].map(pc).join(' / ')} |\n`);
  }
  out('\n### What the host did (seed 1; OUT.sim.json `host`)\n\n' + HOST_HEADER);
  const hostRow = (label: string, policy: string, r: TalkRun): void => hostLine(label, policy, r, out);
  for (const p of POLICIES) hostRow('defaults', p, sweep[0].runs[p]);
  hostRow('defaults, 8 × 10 on 40', 'ple-on', sweep[0].medium.on);
  hostRow('defaults, 8 × 10 on 40', 'gang', sweep[0].medium.gang);
  for (const row of sweep.slice(1)) hostRow(row.label, 'throttled-yield', row.runs['throttled-yield']);
  out('\n### Placement (seed 1): the talk\'s pinned placement against free placement\n\n| policy | placement | guest work /VM/s | coScheduling |\n|---|---|---|---|\n');
  for (const [p, placement] of [['throttled-yield', 'restricted'], ['throttled-yield', 'free'], ['ple-on', 'free'], ['ple-on', 'restricted']] as const) {
    const r = talkRun(p, 1, TALK, { placement });
    out(`| ${p} | ${placement} | ${k(r.work)} | ${r.coScheduling.toFixed(3)} |\n`);
  }
  Object.assign(ratios, cgroupsTables(out, sweep));
  return { talkSpearman: rho, talkRatios: ratios };
}

/**
 * The sweep again with each VM's QEMU process in its own CPU cgroup
 * (--cgroups vm: two-level CFS), each setting's row beside the flat one
 * (`flat`: the sweep table's rows, run here when not given), and what the
 * host did with cgroups.
 */
export function cgroupsTables(out: (s: string) => void, flat?: SweepRow[]): Record<string, number[]> {
  out('\n### Per-VM cgroups (--cgroups vm)\n\nSeed 1; each VM a task group with cpu.shares 1024 (two-level CFS), each row beside the flat one.\n\n' + ratioHeader);
  const ratios: Record<string, number[]> = {};
  const rows = SWEEP.map(([label, knobs], i) => {
    ratioLine(flat?.[i] ?? sweepRow(label, knobs), out);
    const row = sweepRow(`--cgroups vm, ${label}`, { ...knobs, cgroups: 'vm' });
    ratios[row.label] = ratioLine(row, out);
    return row;
  });
  out('\n' + HOST_HEADER);
  for (const p of POLICIES) hostLine('--cgroups vm', p, rows[0].runs[p], out);
  hostLine('--cgroups vm, 8 × 10 on 40', 'ple-on', rows[0].medium.on, out);
  hostLine('--cgroups vm, 8 × 10 on 40', 'gang', rows[0].medium.gang, out);
  for (const row of rows.slice(1)) hostLine(row.label, 'throttled-yield', row.runs['throttled-yield'], out);
  return ratios;
}
