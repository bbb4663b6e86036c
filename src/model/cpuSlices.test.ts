// The drawn slices (grouped by CPU) and vCPU tracks, against brute-force
// readings of the model: the one path the page gets its map from.

import { describe, expect, it } from 'vitest';
import { builder, randomModel, rng } from '../testing/models';
import { cpuOfRow, groupSlicesByCpu, LEFT_STATE_NONE, rowOfSwitch, stepTaskSlice, taskRows } from './cpuSlices';
import { PrevState, SliceEnd, WakeupKind, type TraceModel } from './types';
import { VCPU_CHUNK, vcpuTrackBuilder, vcpuTracks } from './vcpuTracks';

/** Per CPU, its slices in switch order as [start, end, task, endReason, leftState], read from the model. */
function expected(m: TraceModel, cpu: number): number[][] {
  const out: number[][] = [];
  const sw = m.switches;
  for (let i = 0; i < sw.length; i++) {
    if (sw.cpu[i] !== cpu) continue;
    // How the task left: the next switch on the CPU, when it ends this slice and names the task as prev.
    let left = LEFT_STATE_NONE;
    if (m.slices.endReason[i] === SliceEnd.Switch)
      for (let j = i + 1; j < sw.length; j++)
        if (sw.cpu[j] === cpu) {
          if (m.hasStates && sw.prev[j] === sw.next[i]) left = sw.prevState[j];
          break;
        }
    out.push([sw.time[i], m.slices.end[i], sw.next[i], m.slices.endReason[i], left]);
  }
  return out;
}

describe('slices grouped by CPU', () => {
  it('holds every slice under its CPU, in time order, with how its task left (random models)', () => {
    for (const seed of [1, 2, 3]) {
      const m = randomModel(seed, 500, 4, 7);
      const c = groupSlicesByCpu(m);
      const rows = rowOfSwitch(m);
      for (let cpu = 0; cpu + 1 < c.offset.length; cpu++) {
        const got: number[][] = [];
        for (let r = c.offset[cpu]; r < c.offset[cpu + 1]; r++)
          got.push([c.start[r], c.end[r], c.value[r], c.endReason[r], c.leftState[r]]);
        expect(got).toEqual(expected(m, cpu));
      }
      expect(c.offset[c.offset.length - 1]).toBe(m.switches.length);
      // rowOfSwitch names the same rows; taskRows lists each task's rows by start, then end, then row.
      for (let i = 0; i < m.switches.length; i++) expect(c.start[rows[i]]).toBe(m.switches.time[i]);
      const byTask = taskRows(c);
      for (let t = 0; t < m.tasks.length; t++) {
        const mine: number[] = [];
        for (let i = 0; i < m.switches.length; i++) if (m.switches.next[i] === t) mine.push(rows[i]);
        mine.sort((a, b) => c.start[a] - c.start[b] || c.end[a] - c.end[b] || a - b);
        expect(Array.from(byTask.subarray(c.taskOffset[t], c.taskOffset[t + 1]))).toEqual(mine);
      }
    }
  });

  it('survives a transfer (structured clone, buffers moved)', () => {
    const m = randomModel(7, 400, 3, 5);
    const c = groupSlicesByCpu(m);
    const copy = groupSlicesByCpu(m);
    const moved = structuredClone(c, { transfer: [c.start.buffer, c.taskOffset.buffer] });
    expect(moved).toEqual(copy);
    expect(c.start.length).toBe(0);
  });
});

describe('vCPU tracks built a piece at a time', () => {
  it('equal the one-pass build, over several chunks, wakeups included', () => {
    // More switches than two chunks, so the count and main passes both stop and resume mid-trace.
    const r = rng(5);
    const b = builder(true);
    const ids = [0];
    for (let i = 0; i < 6; i++) ids.push(b.task(100 + i, `CPU ${i}/KVM`, 0));
    const running = new Int32Array(4);
    let t = 0;
    for (let i = 0; i < 2.5 * VCPU_CHUNK; i++) {
      t += 1 + Math.floor(r() * 30);
      const cpu = Math.floor(r() * 4);
      const next = ids[Math.floor(r() * ids.length)];
      if (r() < 0.3) b.addWakeup(t - 1, ids[1 + Math.floor(r() * 6)], cpu, WakeupKind.Wakeup);
      b.addSwitch(t, cpu, running[cpu], r() < 0.5 ? PrevState.Preempted : PrevState.Sleeping, next);
      running[cpu] = next;
    }
    const m = b.finish();
    const tasks = [ids[1], ids[3], ids[5], ids[2], -4, 99_999];
    const once = vcpuTracks(m, tasks);
    let clock = 0;
    const step = vcpuTrackBuilder(m, tasks, () => clock++);
    let calls = 1;
    let stepped;
    // A deadline already passed: one chunk per call.
    while ((stepped = step(clock)) === null) calls++;
    expect(calls).toBeGreaterThanOrEqual(5);
    const plain = (ts: typeof once) =>
      new Map(ts.map((x) => [x.task, [x.start, x.end, x.value, x.slice].map((a) => Array.from(a))]));
    expect(plain(stepped)).toEqual(plain(once));
    const byTask = (ts: typeof once) => new Map(ts.map((x) => [x.task, x]));
    const drawn = groupSlicesByCpu(m);
    for (const task of tasks) {
      const a = byTask(once).get(task);
      expect(a).toBeDefined();
      if (task >= 0 && task < m.tasks.length) {
        expect(a!.start.length).toBeGreaterThan(100);
        // Running intervals name their slice by its drawn row: the same start and task.
        let wrong = 0;
        for (let k = 0; k < a!.start.length; k++)
          if (a!.value[k] >= 0 && (drawn.start[a!.slice[k]] !== a!.start[k] || drawn.value[a!.slice[k]] !== task))
            wrong++;
        expect(wrong).toBe(0);
      } else expect(a!.start.length).toBe(0);
    }
  });
});

describe('stepTaskSlice (the . and , keys)', () => {
  const m = randomModel(11, 2000, 4, 5);
  const c = groupSlicesByCpu(m);
  it("walks a task's slices in time order across CPUs, forward and back, from before its first", () => {
    for (let task = 1; task < m.tasks.length; task++) {
      const forward: number[] = [];
      for (let j = stepTaskSlice(c, task, -1, 1); j >= 0; j = stepTaskSlice(c, task, j, 1)) forward.push(j);
      // Every slice of the task once (rows whose value is the task), starts never stepping back.
      const own = Array.from(c.value.keys()).filter((r) => c.value[r] === task);
      expect(forward.length).toBe(own.length);
      expect(new Set(forward)).toEqual(new Set(own));
      expect(new Set(forward.map((r) => cpuOfRow(c.offset, r))).size).toBeGreaterThan(1);
      for (let i = 1; i < forward.length; i++)
        expect(c.start[forward[i]]).toBeGreaterThanOrEqual(c.start[forward[i - 1]]);
      const back: number[] = [];
      for (let j = stepTaskSlice(c, task, -1, -1); j >= 0; j = stepTaskSlice(c, task, j, -1)) back.push(j);
      expect(back).toEqual(forward.slice().reverse());
    }
  });

  it('is -1 for a slice of another task, a task out of range, and past the ends', () => {
    const [a, b] = [stepTaskSlice(c, 1, -1, 1), stepTaskSlice(c, 2, -1, 1)];
    expect(stepTaskSlice(c, 1, b, 1)).toBe(-1);
    expect(stepTaskSlice(c, 1, a, -1)).toBe(-1);
    expect(stepTaskSlice(c, m.tasks.length, -1, 1)).toBe(-1);
    expect(stepTaskSlice(c, -1, -1, 1)).toBe(-1);
  });
});

describe('cpuOfRow', () => {
  it('names the CPU whose rows hold each row, with CPUs that have none between them', () => {
    // CPUs 0, 2 and 5 switch; 1, 3 and 4 have no rows (their offsets equal the next CPU's).
    const b = builder();
    const t = b.task(100, 't', 0);
    for (const [time, cpu] of [
      [0, 0],
      [1, 2],
      [2, 5],
      [3, 0],
      [4, 5],
      [5, 5],
    ])
      b.addSwitch(time, cpu, -1, PrevState.Unknown, time % 2 ? t : 0);
    const c = groupSlicesByCpu(b.finish());
    expect(c.offset.length).toBe(7);
    const cpus = Array.from({ length: c.start.length }, (_, row) => cpuOfRow(c.offset, row));
    expect(cpus).toEqual([0, 0, 2, 5, 5, 5]);
    for (const [row, cpu] of cpus.entries()) expect(c.offset[cpu] <= row && row < c.offset[cpu + 1]).toBe(true);
  });
});
