// Every metric on small hand-made traces; the expected values are worked out
// by hand in the comments (times in µs; US = 1000 ns).

import { describe, expect, it } from 'vitest';
import { PrevState as S, WakeupKind } from '../model/types';
import { analyzeRun } from './analyze';
import { fromTasks } from './fromTask';
import { builder, makeRun, US } from '../testing/runs';
import { runFromTimeline } from '../testing/timeline';

const R = S.Runnable;
const SL = S.Sleeping;

/**
 * Perfect gang: VM A = {a0, a1}, VM B = {b0, b1} on 2 CPUs, swapping every 100 µs (one column = 10 µs).
 * Switch-outs at 100 (A → B) are R+ (preempted), at 200 (B → A) R, at 300 and 400 S; without states, the
 * same switches as perf sched map gives them (no prev task, no state).
 */
const PERFECT_GANG = `
  time 0         100       200       300       400
  cpu0 |a0-------|R+:b0----|a0-------|S:b0-----|S:
  cpu1 |a1-------|R+:b1----|a1-------|S:b1-----|S:
`;

function perfectGang(hasStates = true) {
  return hasStates
    ? runFromTimeline(PERFECT_GANG, { unit: 10 * US }).run
    : runFromTimeline(
        PERFECT_GANG.replace(/\|(R\+|S):(\w*)/g, (_, st: string, name: string) => `|${name}${'-'.repeat(st.length + 1)}`),
        { unit: 10 * US, states: false },
      ).run;
}

describe('analyzeRun: a perfect gang', () => {
  const r = analyzeRun(perfectGang());
  const [A, B] = r.vms;

  it('window and host fields', () => {
    // T0 = 0, T1 = 400 µs, D = 400 µs, P = {0, 1}.
    expect(r.window).toEqual({ startUs: 0, endUs: 400, durationUs: 400, cpus: [0, 1] });
    // 10 switches / 400 µs / 2 CPUs = 12500 /s; each CPU 5 / 400 µs = 12500 /s.
    expect(r.switchesPerSecPerCpu).toBeCloseTo(12500, 9);
    expect(r.perCpu).toEqual([
      // Idle runs only [400, 400]: 0 of the 400 µs known.
      { cpu: 0, switches: 5, switchesPerSec: 12500, idleFraction: 0 },
      { cpu: 1, switches: 5, switchesPerSec: 12500, idleFraction: 0 },
    ]);
  });

  it('gang fields', () => {
    // A: r = 2 on [0,100) and [200,300), else 0. ∫r = 400, time r>0 = 200, k = min(2, 2) = 2.
    // gangScore = 400 / (2 × 200) = 1; allRunning = 200 / 200 = 1; histogram [200, 0, 200] / 400.
    expect(A.k).toBe(2);
    expect(A.gangScore).toBe(1);
    expect(A.allRunningFraction).toBe(1);
    expect(A.coRunHistogram).toEqual([0.5, 0, 0.5]);
    expect(B.gangScore).toBe(1);
    expect(B.coRunHistogram).toEqual([0.5, 0, 0.5]);
  });

  it('co-scheduling against independent scheduling', () => {
    // p(a0) = p(a1) = 200 / 400 = 0.5. Independent: E[r] = 1, P(r > 0) = 1 - 0.5 × 0.5 = 0.75,
    // so gangScoreIndependent = 1 / (2 × 0.75) = 2/3; coScheduling = (1 - 2/3) / (1 - 2/3) = 1.
    expect(A.gangScoreIndependent).toBeCloseTo(2 / 3, 12);
    expect(A.coScheduling).toBeCloseTo(1, 12);
    expect(B.coScheduling).toBeCloseTo(1, 12);
  });

  it('slices, switch-ins, shares', () => {
    // A's slices: a0 [0,100], [200,300]; a1 the same: four × 100 µs, all ended by a switch.
    expect(A.runSliceMedianUs).toBe(100);
    expect(A.runSliceP90Us).toBe(100);
    expect(A.runSliceP99Us).toBe(100);
    expect(A.runSliceMaxUs).toBe(100);
    // B's last slices [300,400] end by the switch to idle at 400: they count too.
    expect(B.runSliceMaxUs).toBe(100);
    // A: switch-ins at 0, 0, 200, 200 → 4 / 400 µs = 10000 /s.
    expect(A.switchInsPerSec).toBeCloseTo(10000, 9);
    expect(A.siblingHandoffs).toBe(0);
    // A runs 400 µs of vCPU time in D × P = 800 µs.
    expect(A.cpuShare).toBe(0.5);
    // No host task ran on CPUs 0, 1: 0 / 800 µs known.
    expect(A.hostNoiseShare).toBe(0);
    expect(A.vcpuMigrationsPerSec).toBe(0);
    expect(A.vcpus.map((v) => v.runFraction)).toEqual([0.5, 0.5]);
    expect(A.vcpus.map((v) => v.runSliceMedianUs)).toEqual([100, 100]);
    expect(A.vcpus.map((v) => v.switchInsPerSec)).toEqual([5000, 5000]);
  });

  it('preemption', () => {
    // A's vCPUs are switched out R+ at 100 and back in at 200: 2 × 100 µs preempted.
    // B's are switched out R at 200 and back in at 300: 2 × 100 µs. At 300 and 400 the state is S.
    expect(A.preemptedVcpusMean).toBe(0.5);
    expect(B.preemptedVcpusMean).toBe(0.5);
    expect(A.vcpus.map((v) => v.preemptedFraction)).toEqual([0.25, 0.25]);
    // No wakeups and no kvm_exit events in the trace: null.
    expect(A.runDelayP50Us).toBeNull();
    expect(A.runDelayP99Us).toBeNull();
    expect(A.vcpus[0].runDelayP99Us).toBeNull();
    expect(A.pleExitsPerSec).toBeNull();
    expect(A.exitReasons).toBeNull();
  });

  it('map input (no prev, no states) gives the same values for all but the state fields', () => {
    const map = analyzeRun(perfectGang(false));
    expect(map.vms[0].preemptedVcpusMean).toBeNull();
    expect(map.vms[0].vcpus[0].preemptedFraction).toBeNull();
    const strip = (x: typeof r) =>
      JSON.parse(
        JSON.stringify(x, (k, v) => (k === 'preemptedVcpusMean' || k === 'preemptedFraction' ? undefined : v)),
      );
    expect(strip(map)).toEqual(strip(r));
  });
});

describe('analyzeRun: strict alternation and sibling handoffs', () => {
  /**
   * One VM V = {a0, a1} takes turns on cpu0; a host task h runs on cpu1 the whole time; both idle from 400.
   * Every switch on cpu0 goes from a vCPU to its sibling (drawn without states, as perf sched map gives
   * it: no prev task, "from" is the open slice). One column = 10 µs.
   */
  const ALTERNATION = `
    time 0         100       200       300       400
    cpu0 |a0-------|a1-------|a0-------|a1-------|
    cpu1 |h--------------------------------------|
  `;
  const run = runFromTimeline(ALTERNATION, {
    unit: 10 * US,
    states: false,
    comms: { h: 'kworker' },
    vmNames: { a: 'V' },
  }).run;
  const [V] = analyzeRun(run).vms;

  it('scores one at a time as 1/k', () => {
    // r = 1 on [0, 400): ∫r = 400, time r>0 = 400, k = 2: 400 / (2 × 400) = 0.5 = 1/k.
    expect(V.gangScore).toBe(0.5);
    // Never r >= 2.
    expect(V.allRunningFraction).toBe(0);
    expect(V.coRunHistogram).toEqual([0, 1, 0]);
  });

  it('co-scheduling below 0: siblings kept apart', () => {
    // p(v0) = p(v1) = 0.5: independent 2/3 (as for the perfect gang); (0.5 - 2/3) / (1 - 2/3) = -0.5.
    expect(V.gangScoreIndependent).toBeCloseTo(2 / 3, 12);
    expect(V.coScheduling).toBeCloseTo(-0.5, 12);
    // 3 handoffs in 400 µs = 7500 /s.
    expect(V.siblingHandoffsPerSec).toBeCloseTo(7500, 9);
  });

  it('counts the sibling handoffs and the host noise on the CPUs it used', () => {
    // 100: v0 → v1, 200: v1 → v0, 300: v0 → v1.
    expect(V.siblingHandoffs).toBe(3);
    // Its vCPUs used only cpu0, where no host task ran; h ran on cpu1, which it did not use.
    expect(V.hostNoiseShare).toBe(0);
    // 400 µs of vCPU time in 400 µs × 2 CPUs.
    expect(V.cpuShare).toBe(0.5);
    expect(V.preemptedVcpusMean).toBeNull();
  });

  it('a switch whose open slice is a host task is no handoff, whatever prev_pid says', () => {
    /**
     *   time   0        100      200      300      400
     *   cpu0   |v0------|v1------|h-------|v0------|idle
     *   cpu1   |idle---------------------------------|idle
     * 100: v0 → v1 is a handoff. 300: prev_pid claims v1, but the open slice is h's: no handoff.
     */
    const b2 = builder('perf-script', true);
    const w0 = b2.task(10, 'CPU 0/KVM', 0);
    const w1 = b2.task(11, 'CPU 1/KVM', 0);
    const hh = b2.task(99, 'kworker', 0);
    b2.addSwitch(0, 0, 0, R, w0);
    b2.addSwitch(0, 1, 0, R, 0);
    b2.addSwitch(100 * US, 0, w0, SL, w1);
    b2.addSwitch(200 * US, 0, w1, SL, hh);
    b2.addSwitch(300 * US, 0, w1, SL, w0);
    b2.addSwitch(400 * US, 0, w0, SL, 0);
    b2.addSwitch(400 * US, 1, 0, R, 0);
    const run2 = makeRun(b2.finish(), [{ name: 'W', vcpus: [w0, w1] }]);
    expect(Array.from(fromTasks(run2.model))).toEqual([-1, -1, w0, w1, hh, w0, 0]);
    const [W] = analyzeRun(run2).vms;
    expect(W.siblingHandoffs).toBe(1);
    // Host noise on cpu0 (the only CPU it used): h ran 100 of 400 known µs.
    expect(W.hostNoiseShare).toBe(0.25);
  });
});

describe('analyzeRun: a migration and unknown time', () => {
  /**
   * V = {a0}; h (kworker) and k (ksoftirqd) are host tasks. One column = 10 µs.
   * a0 is switched in on cpu1 at 100 while cpu0 still shows it: the migration rule ends its slice on cpu0
   * at 100, and cpu0 is unknown from there until its next switch (300, a0 out S). cpu2 is unknown before
   * its first switch at 200.
   */
  const MIGRATION = `
    time 0         100       200       300       400
    cpu0 |a0---------------------------|S:h------|S:
    cpu1 |---------|a0-------|S:-----------------|
    cpu2                     |---------|k---------
  `;
  const run = runFromTimeline(MIGRATION, {
    unit: 10 * US,
    comms: { h: 'kworker', k: 'ksoftirqd' },
    vmNames: { a: 'V' },
  }).run;
  const r = analyzeRun(run);
  const [V] = r.vms;

  it('per-CPU known time leaves out the unknown stretches', () => {
    // D = 400, P = 3. Switches: cpu0 {0, 300, 400}, cpu1 {0, 100, 200, 400}, cpu2 {200, 300}.
    // switchesPerSecPerCpu = 9 / 400 µs / 3 = 7500.
    expect(r.switchesPerSecPerCpu).toBeCloseTo(7500, 9);
    // cpu0 known: [0,100] v0 + [300,400] h = 200, idle 0. cpu1 known 400, idle [0,100] + [200,400] = 300.
    // cpu2 known: [200,300] idle + [300,400] h2 = 200, idle 100.
    expect(r.perCpu.map((c) => c.idleFraction)).toEqual([0, 0.75, 0.5]);
    expect(r.perCpu.map((c) => c.switches)).toEqual([3, 4, 2]);
  });

  it('vCPU fields', () => {
    // r = 1 on [0, 200) (cpu0 then cpu1), 0 after: k = min(1, 3) = 1, gang = 200 / (1 × 200) = 1.
    expect(V.gangScore).toBe(1);
    expect(V.coRunHistogram).toEqual([0.5, 0.5]);
    // Switch-ins of v0: 0 on cpu0 (first), 100 on cpu1 (previous cpu0): one migration in 400 µs.
    expect(V.vcpuMigrationsPerSec).toBeCloseTo(2500, 9);
    expect(V.vcpus[0].migrationsPerSec).toBeCloseTo(2500, 9);
    expect(V.switchInsPerSec).toBeCloseTo(5000, 9);
    // Slice [0,100] was ended by the migration rule: left out. [100,200] (100 µs) remains.
    expect(V.runSliceMedianUs).toBe(100);
    expect(V.runSliceMaxUs).toBe(100);
    // 200 µs of run time / (400 × 3).
    expect(V.cpuShare).toBeCloseTo(1 / 6, 12);
    // CPUs it used: cpu0 (host h 100 µs, known 200), cpu1 (no host, known 400): 100 / 600.
    expect(V.hostNoiseShare).toBeCloseTo(1 / 6, 12);
    expect(V.vcpus[0].runFraction).toBe(0.5);
  });
});

describe('analyzeRun: preemption in state R and run delays', () => {
  /**
   * V = {a0, a1}; h (kworker) and k (ksoftirqd) are host tasks. One column = 5 µs.
   * 100: a0 switched out R (runnable: preempted until its switch-in at 300).
   * 200: a1 switched out R+ (preempted until 250).
   * 400: a0 and a1 switched out S. sched_waking of a0 at 450 → switch-in at 500: 50 µs.
   * Also: sched_waking of a0 at 50 while it runs (starts no wait), a sched_wakeup of a0 at 460
   * (ignored: the trace has sched_waking), and a sched_waking of a1 at 550 never followed
   * by a switch-in (left out).
   */
  const PREEMPTION = `
    time  0                   100                 200       250       300                 400       450       500       550       600
    cpu0  |a0-----------------|h--------------------------------------|S:a0---------------|S:-------------------------------------|
    cpu1  |a1-------------------------------------|R+:k-----|S:a1-------------------------|S:-----------------|a0-----------------|S:
    wake0           ^a0
    wake1                                                                                           ^a0                 ^a1
    wake1                                                                                             ^u:a0
  `;
  const run = runFromTimeline(PREEMPTION, {
    unit: 5 * US,
    comms: { h: 'kworker', k: 'ksoftirqd' },
    vmNames: { a: 'V' },
  }).run;
  const [V] = analyzeRun(run).vms;

  it('preempted vCPUs', () => {
    // v0: [100, 300) = 200; v1: [200, 250) = 50. Mean over D = 600: 250 / 600.
    expect(V.preemptedVcpusMean).toBeCloseTo(250 / 600, 12);
    expect(V.vcpus[0].preemptedFraction).toBeCloseTo(200 / 600, 12);
    expect(V.vcpus[1].preemptedFraction).toBeCloseTo(50 / 600, 12);
  });

  it('run delay: sched_waking → next switch-in', () => {
    // One delay: 500 - 450 = 50 µs (v0). v1 has none.
    expect(V.runDelayP50Us).toBe(50);
    expect(V.runDelayP99Us).toBe(50);
    expect(V.vcpus[0].runDelayP99Us).toBe(50);
    expect(V.vcpus[1].runDelayP99Us).toBeNull();
  });

  it('preempted until T1 when never switched back in', () => {
    // a0 switched out R at 100 (h preempts it) and never back: preempted [100, 400) of D = 400.
    const run2 = runFromTimeline(
      `
      cpu0 |a0-------|h----------------------------|S:
    `,
      { unit: 10 * US, comms: { h: 'kworker' }, vmNames: { a: 'X' } },
    ).run;
    const [X] = analyzeRun(run2).vms;
    expect(X.preemptedVcpusMean).toBe(0.75);
  });

  it('uses sched_wakeup when the trace has no sched_waking', () => {
    // sched_wakeup_new at 10 is no wait. Delay 230 - 150 = 80 µs. One column = 10 µs.
    const run2 = runFromTimeline(
      `
      time  0         100  150     230    300
      cpu0  |a0-------|S:----------|a0----|S:
      wake0  ^n:a0         ^u:a0
    `,
      { unit: 10 * US, vmNames: { a: 'X' } },
    ).run;
    const [X] = analyzeRun(run2).vms;
    expect(X.runDelayP50Us).toBe(80);
    expect(X.vcpus[0].runDelayP99Us).toBe(80);
  });

  it('quantiles of several delays are R-7', () => {
    // Delays 10, 20, 40, 80 µs (wakeup at 100·i + 50, switch-in d later).
    const b2 = builder();
    const x = b2.task(10, 'CPU 0/KVM', 0);
    let t = 0;
    b2.addSwitch(t, 0, 0, R, x);
    for (const d of [10, 20, 40, 80]) {
      b2.addSwitch((t + 10) * US, 0, x, SL, 0);
      b2.addWakeup((t + 20) * US, x, 0, WakeupKind.Waking);
      b2.addSwitch((t + 20 + d) * US, 0, 0, R, x);
      t += 200;
    }
    b2.addSwitch((t + 10) * US, 0, x, SL, 0);
    const [X] = analyzeRun(makeRun(b2.finish(), [{ name: 'X', vcpus: [x] }])).vms;
    // Sorted [10, 20, 40, 80]: median h = 3 × 0.5 = 1.5 → 20 + 0.5 × 20 = 30;
    // p99 h = 2.97 → 40 + 0.97 × 40 = 78.8.
    expect(X.runDelayP50Us).toBeCloseTo(30, 9);
    expect(X.runDelayP99Us).toBeCloseTo(78.8, 9);
  });
});

describe('analyzeRun: kvm_exit reasons and PAUSE exits', () => {
  const b = builder();
  const v0 = b.task(10, 'CPU 0/KVM', 0);
  const v1 = b.task(11, 'CPU 1/KVM', 0);
  const h = b.task(99, 'kworker', 0);
  b.addSwitch(0, 0, 0, R, v0);
  b.addSwitch(0, 1, 0, R, v1);
  b.addKvmExit(10 * US, v0, 0, 'PAUSE_INSTRUCTION', 0);
  b.addKvmExit(20 * US, v0, 0, 'PAUSE_INSTRUCTION', 0);
  b.addKvmExit(30 * US, v1, 1, 'pause', 1);
  b.addKvmExit(40 * US, v1, 1, 'HLT', 1);
  b.addKvmExit(50 * US, h, 1, 'pause', -1); // not a vCPU thread of V
  b.addSwitch(100 * US, 0, v0, R, 0);
  b.addSwitch(200 * US, 1, v1, R, 0);
  const run = makeRun(b.finish(), [{ name: 'V', vcpus: [v0, v1] }]);

  it('counts PAUSE exits in any spelling on its vCPU threads', () => {
    const [V] = analyzeRun(run).vms;
    // 3 PAUSE exits (2 × PAUSE_INSTRUCTION, 1 × pause) in D = 200 µs: 15000 /s.
    expect(V.pleExitsPerSec).toBeCloseTo(15000, 9);
    expect(V.exitReasons).toEqual({ PAUSE_INSTRUCTION: 2, pause: 1, HLT: 1 });
  });

  it('in a range, only the exits inside it', () => {
    // [25, 100): the `pause` at 30 and the HLT at 40; D = 75 µs.
    const [V] = analyzeRun(run, { range: [25 * US, 100 * US] }).vms;
    expect(V.pleExitsPerSec).toBeCloseTo(1 / 75e-6, 6);
    expect(V.exitReasons).toEqual({ pause: 1, HLT: 1 });
  });

  it('0 when the trace has exits but none is PAUSE; null with no exits at all', () => {
    const b2 = builder();
    const x = b2.task(10, 'CPU 0/KVM', 0);
    b2.addSwitch(0, 0, 0, R, x);
    b2.addKvmExit(10 * US, x, 0, 'HLT', 0);
    b2.addSwitch(100 * US, 0, x, SL, 0);
    const [X] = analyzeRun(makeRun(b2.finish(), [{ name: 'X', vcpus: [x] }])).vms;
    expect(X.pleExitsPerSec).toBe(0);
    expect(X.exitReasons).toEqual({ HLT: 1 });
  });
});

describe('analyzeRun: a range that cuts slices', () => {
  // The perfect gang (see above) in [50, 350): D = 300 µs.
  const r = analyzeRun(perfectGang(), { range: [50 * US, 350 * US] });
  const [A, B] = r.vms;

  it('clips the integrals and counts events with a <= t < b', () => {
    expect(r.window).toEqual({ startUs: 50, endUs: 350, durationUs: 300, cpus: [0, 1] });
    // A: r = 2 on [50,100) and [200,300): ∫r = 300 over 150 µs busy → gang 1, histogram [150, 0, 150] / 300.
    expect(A.gangScore).toBe(1);
    expect(A.coRunHistogram).toEqual([0.5, 0, 0.5]);
    // B: r = 2 on [100,200) and [300,350).
    expect(B.coRunHistogram).toEqual([0.5, 0, 0.5]);
    // Switches in [50, 350): 100, 200, 300 on each CPU: 3 / 300 µs = 10000 /s.
    expect(r.perCpu.map((c) => c.switches)).toEqual([3, 3]);
    expect(r.switchesPerSecPerCpu).toBeCloseTo(10000, 9);
    // A: switch-ins at 200 (× 2) = 2 / 300 µs; B at 100 and 300 (× 2) = 4 / 300 µs.
    expect(A.switchInsPerSec).toBeCloseTo(2 / 300e-6, 6);
    expect(B.switchInsPerSec).toBeCloseTo(4 / 300e-6, 6);
    // A ran 2 × (50 + 100) = 300 µs of 300 × 2.
    expect(A.cpuShare).toBe(0.5);
    expect(A.vcpus[0].runFraction).toBe(0.5);
  });

  it('leaves slices cut by an edge out of the slice statistics', () => {
    // A: [0,100] is cut at 50 (left out); [200,300] (× 2) inside: 100 µs.
    expect(A.runSliceMedianUs).toBe(100);
    // B: [100,200] inside; [300,400] cut at 350: left out.
    expect(B.runSliceMedianUs).toBe(100);
    expect(B.runSliceMaxUs).toBe(100);
    // In [120, 280) every slice is cut by an edge.
    const narrow = analyzeRun(perfectGang(), { range: [120 * US, 280 * US] });
    // A's [200,300] and B's [100,200] are both cut: no slice is left.
    expect(narrow.vms[0].runSliceMedianUs).toBeNull();
    expect(narrow.vms[1].runSliceMaxUs).toBeNull();
  });

  it('clips the preempted intervals', () => {
    // A: [100,200) for each vCPU, inside: 200 / 300. B: [200,300) each: 200 / 300.
    expect(A.preemptedVcpusMean).toBeCloseTo(2 / 3, 12);
    expect(B.preemptedVcpusMean).toBeCloseTo(2 / 3, 12);
  });

  it('a range covering the whole trace is the same as no range', () => {
    expect(analyzeRun(perfectGang(), { range: [-1e9, 1e12] })).toEqual(analyzeRun(perfectGang()));
  });

  it('a CPU subset counts only that CPU', () => {
    const one = analyzeRun(perfectGang(), { cpus: [1] });
    expect(one.window.cpus).toEqual([1]);
    expect(one.perCpu.map((c) => c.cpu)).toEqual([1]);
    // On cpu1 alone A has one vCPU running at a time: k = min(2, 1) = 1, gang = 1,
    // r = 1 on [0,100) and [200,300): histogram [0.5, 0.5, 0].
    expect(one.vms[0].k).toBe(1);
    expect(one.vms[0].gangScore).toBe(1);
    expect(one.vms[0].coRunHistogram).toEqual([0.5, 0.5, 0]);
    // A ran 200 µs on cpu1, D × P = 400.
    expect(one.vms[0].cpuShare).toBe(0.5);
    expect(one.vms[0].vcpus.map((v) => v.runFraction)).toEqual([0, 0.5]);
  });
});

describe('analyzeRun: zero-length slices and quantiles', () => {
  /**
   *   time   0        100      200  250               300      500
   *   cpu0   |v0------|v0------|v1-|idle--------------------------|
   *                   ^ v1 for 0 µs at 100 (two switches at 100)
   *   cpu1    ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? ? |v0------|idle
   *
   * v0 [0,100] = 100, v1 [100,100] = 0, v0 [100,200] = 100, v1 [200,250] = 50, v0 [300,500] = 200.
   */
  const b = builder();
  const v0 = b.task(10, 'CPU 0/KVM', 0);
  const v1 = b.task(11, 'CPU 1/KVM', 0);
  b.addSwitch(0, 0, 0, R, v0);
  b.addSwitch(100 * US, 0, v0, R, v1);
  b.addSwitch(100 * US, 0, v1, R, v0);
  b.addSwitch(200 * US, 0, v0, R, v1);
  b.addSwitch(250 * US, 0, v1, SL, 0);
  b.addSwitch(300 * US, 1, 0, R, v0);
  b.addSwitch(500 * US, 1, v0, SL, 0);
  const [V] = analyzeRun(makeRun(b.finish(), [{ name: 'V', vcpus: [v0, v1] }])).vms;

  it('counts zero-length slices in the statistics', () => {
    // Sorted [0, 50, 100, 100, 200]: median h = 4 × 0.5 = 2 → 100; p90 h = 3.6 → 100 + 0.6 × 100 = 160;
    // p99 h = 3.96 → 196; max 200.
    expect(V.runSliceMedianUs).toBe(100);
    expect(V.runSliceP90Us).toBeCloseTo(160, 9);
    expect(V.runSliceP99Us).toBeCloseTo(196, 9);
    expect(V.runSliceMaxUs).toBe(200);
    // v1's own slices [0, 50]: median 25.
    expect(V.vcpus[1].runSliceMedianUs).toBe(25);
    // Handoffs at 100 (v0 → v1), 100 (v1 → v0), 200 (v0 → v1).
    expect(V.siblingHandoffs).toBe(3);
    // Switch-ins: v0 at 0, 100, 300 (300 on cpu1: a migration), v1 at 100, 200. D = 500 µs.
    expect(V.switchInsPerSec).toBeCloseTo(5 / 500e-6, 6);
    expect(V.vcpuMigrationsPerSec).toBeCloseTo(1 / 500e-6, 6);
    // Preempted (R): v0 [100,100) = 0 and [200,300) = 100; v1 [100,200) = 100: 200 / 500.
    expect(V.preemptedVcpusMean).toBeCloseTo(0.4, 12);
  });
});

describe('analyzeRun: ratios with a zero denominator are null', () => {
  it('a VM that never runs, and a CPU with no known time', () => {
    // cpu1's first and only switch is at T1: no known time. a0 (VM G) never runs. One column = 10 µs.
    const r = analyzeRun(
      runFromTimeline(
        `
        cpu0 |h--------|S:
        cpu1           |
      `,
        { unit: 10 * US, comms: { h: 'kworker' }, vmNames: { a: 'G' }, tasks: ['a0'] },
      ).run,
    );
    const [G] = r.vms;
    expect(r.perCpu.map((c) => c.idleFraction)).toEqual([0, null]);
    expect(G.gangScore).toBeNull();
    expect(G.allRunningFraction).toBeNull();
    expect(G.hostNoiseShare).toBeNull();
    expect(G.runSliceMedianUs).toBeNull();
    expect(G.coRunHistogram).toEqual([1, 0]);
    expect(G.switchInsPerSec).toBe(0);
    expect(G.cpuShare).toBe(0);
  });

  it('D = 0: every rate and fraction is null', () => {
    // One switch: the trace spans no time.
    const r = analyzeRun(runFromTimeline('cpu0 |a0', { unit: US, vmNames: { a: 'X' } }).run);
    const [X] = r.vms;
    expect(r.switchesPerSecPerCpu).toBeNull();
    expect(r.perCpu).toEqual([{ cpu: 0, switches: 1, switchesPerSec: null, idleFraction: null }]);
    expect(X.gangScore).toBeNull();
    expect(X.coRunHistogram).toEqual([null, null]);
    expect(X.switchInsPerSec).toBeNull();
    expect(X.cpuShare).toBeNull();
    expect(X.preemptedVcpusMean).toBeNull();
    expect(X.vcpus[0].runFraction).toBeNull();
  });

  it('an empty trace', () => {
    const b = builder();
    const r = analyzeRun(makeRun(b.finish(), []));
    expect(r.switchesPerSecPerCpu).toBeNull();
    expect(r.perCpu).toEqual([]);
    expect(r.vms).toEqual([]);
  });
});
