// The wakeup behind a slice, judged against perf sched timehist of the same real recording: its `sch delay`
// (wakeup to switch-in) for a woken task and its `wait time` for a preempted one.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns, type Run } from '../model/runs';
import { fixturePath, fixtureText } from '../../test/fixtures';
import { sliceWakeup } from './sliceWakeup';

let run: Run;
beforeAll(async () => {
  [run] = assembleRuns(await loadInputs([fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt')]));
});

/** timehist rows: a switch-out of tid at `t` (relative ns) after `run` ns, with its wait time and sch delay. */
function timehistRows(origin: { sec: number; ns: number }) {
  const rows: { tid: number; t: number; run: number; wait: number; delay: number; line: string }[] = [];
  const re = /^\s*(\d+)\.(\d+) \[\d+\]\s+.*?\[(\d+)(?:\/\d+)?\]\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$/;
  for (const line of fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt').split('\n')) {
    const m = re.exec(line);
    if (!m || m[3] === '0') continue;
    const t = (Number(m[1]) - origin.sec) * 1e9 + Number(m[2].padEnd(9, '0')) - origin.ns;
    const ms = (s: string) => Math.round(Number(s) * 1e6);
    rows.push({ tid: Number(m[3]), t, run: ms(m[6]), wait: ms(m[4]), delay: ms(m[5]), line });
  }
  return rows;
}

describe('sliceWakeup', () => {
  it('agrees with perf sched timehist’s sch delay (woken) and wait time (preempted) on a real recording', () => {
    const m = run.model;
    const taskOfTid = new Map<number, number>();
    for (let t = m.tasks.length - 1; t >= 0; t--) taskOfTid.set(m.tasks.tid[t], t);
    let woken = 0;
    let preempted = 0;
    let agree = 0;
    let total = 0;
    for (const r of timehistRows(m.origin)) {
      const task = taskOfTid.get(r.tid);
      if (task === undefined) continue;
      total++;
      // The slice began at t - run (both printed to the µs).
      const start = Math.round((r.t - r.run) / 1000) * 1000;
      const w = [0, -1000, 1000].map((d) => sliceWakeup(m, task, start + d)).find((x) => x !== null) ?? null;
      if (!w) continue;
      if (w.runnableWait !== null) {
        preempted++;
        if (Math.abs(w.runnableWait - r.wait) <= 2000) agree++;
      } else if (w.latency !== null && w.wakeup) {
        woken++;
        if (Math.abs(w.latency - r.delay) <= 2000) agree++;
        expect(w.wakeup.time).toBeLessThanOrEqual(w.start);
        expect(w.previous === null || w.wakeup.time > w.previous.end).toBe(true);
      }
    }
    expect(total).toBe(6899);
    expect(woken).toBeGreaterThan(3000);
    expect(preempted).toBeGreaterThan(3000);
    // perf takes a later wakeup in a few cases (the app's rule is the run-delay metric's: the first one).
    expect(agree / total).toBeGreaterThan(0.99);
  });

  it('names the waker and its CPU: the thread that ran the sched_waking, where it ran', () => {
    const m = run.model;
    const sw = m.switches;
    let found = 0;
    for (let i = 0; i < sw.length && found < 20; i++) {
      const vcpu = sw.next[i];
      if (vcpu === 0) continue;
      const w = sliceWakeup(m, vcpu, sw.time[i]);
      expect(w).not.toBeNull();
      if (!w?.wakeup) continue;
      found++;
      expect(w.cpu).toBe(sw.cpu[i]);
      // The waker ran the event on its CPU: the row of the table the wakeup came from.
      const wk = m.wakeups;
      const e = Array.from({ length: wk.length }, (_, k) => k).find(
        (k) => wk.time[k] === w.wakeup!.time && wk.task[k] === vcpu,
      )!;
      expect(w.wakeup.waker).toBe(wk.waker[e]);
      expect(w.wakeup.wakerCpu).toBe(wk.wakerCpu[e]);
      expect(w.wakeup.waker).toBeGreaterThanOrEqual(0);
      expect(w.latency).toBe(sw.time[i] - w.wakeup.time);
    }
    expect(found).toBe(20);
    expect(sliceWakeup(m, run.vms[0].vcpus[0].task, 12345.5)).toBeNull();
  });
});
