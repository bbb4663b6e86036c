// The CPU grouping of the slice index: built in one pass here or in the parse
// worker and handed over (adopted), the tracks are the same.

import { describe, expect, it } from 'vitest';
import { PrevState, WakeupKind } from '../model/types';
import {
  adoptCpuSlices,
  groupSlicesByCpu,
  hasCpuSlices,
  releaseCpuSlices,
  SliceIndex,
  VCPU_CHUNK,
  type Track,
} from './sliceIndex';
import { builder, randomModel, rng } from './testkit';

function rows(t: Track): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < t.n; k++) {
    const r = t.rows === null ? k : t.rows[k];
    out.push([t.start[r], t.end[r], t.value[r], t.slice === null ? r : t.slice[r]]);
  }
  return out;
}

/** Every CPU track of an index, by a brute-force reading of the model: its slices on the CPU in switch order. */
function expected(idx: SliceIndex, cpu: number): number[][] {
  const m = idx.model;
  const out: number[][] = [];
  for (let i = 0; i < m.switches.length; i++)
    if (m.switches.cpu[i] === cpu) out.push([m.switches.time[i], m.slices.end[i], m.switches.next[i], i]);
  return out;
}

describe('slice index CPU grouping', () => {
  it('groups every slice under its CPU, in time order (random models)', () => {
    for (const seed of [1, 2, 3]) {
      const m = randomModel(seed, 500, 4, 7);
      const idx = new SliceIndex(m);
      let total = 0;
      for (let cpu = 0; cpu < idx.cpuDomain; cpu++) {
        expect(rows(idx.cpuTrack(cpu))).toEqual(expected(idx, cpu));
        total += idx.cpuTrack(cpu).n;
      }
      expect(total).toBe(m.switches.length);
    }
  });

  it('uses a grouping built elsewhere (cloned, as from the parse worker) and gives the same tracks', () => {
    const m = randomModel(7, 400, 3, 5);
    const local = new SliceIndex(randomModel(7, 400, 3, 5));
    // The worker's grouping arrives as a structured clone with its buffers transferred.
    const built = groupSlicesByCpu(m);
    const moved = structuredClone(built, {
      transfer: [built.start.buffer, built.end.buffer, built.value.buffer, built.slice.buffer, built.offset.buffer],
    });
    expect(adoptCpuSlices(m, moved)).toBe(true);
    expect(hasCpuSlices(m)).toBe(true);
    const adopted = new SliceIndex(m);
    for (let cpu = 0; cpu < adopted.cpuDomain; cpu++) {
      const t = adopted.cpuTrack(cpu);
      expect(rows(t)).toEqual(rows(local.cpuTrack(cpu)));
      // The adopted columns themselves, not a rebuilt copy.
      expect(t.start.buffer).toBe(moved.start.buffer);
    }
    // A second index of the same model shares them.
    expect(new SliceIndex(m).cpuTrack(0).start.buffer).toBe(moved.start.buffer);
  });

  it('refuses a grouping that does not fit the model, and builds its own', () => {
    const m = randomModel(3, 300, 3, 5);
    const other = groupSlicesByCpu(randomModel(4, 250, 3, 5));
    expect(adoptCpuSlices(m, other)).toBe(false);
    expect(hasCpuSlices(m)).toBe(false);
    const idx = new SliceIndex(m);
    for (let cpu = 0; cpu < idx.cpuDomain; cpu++) expect(rows(idx.cpuTrack(cpu))).toEqual(expected(idx, cpu));
    releaseCpuSlices(m);
    expect(hasCpuSlices(m)).toBe(false);
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
    const once = new SliceIndex(m);
    once.prepareVcpuTracks(tasks);
    const stepped = new SliceIndex(m);
    let clock = 0;
    const step = stepped.vcpuTrackBuilder(tasks, () => clock++);
    let calls = 1;
    expect(stepped.hasVcpuTracks(tasks)).toBe(false);
    // A deadline already passed: one chunk per call.
    while (step(clock)) calls++;
    expect(calls).toBeGreaterThanOrEqual(5);
    expect(stepped.hasVcpuTracks(tasks)).toBe(true);
    for (const task of tasks) {
      const a = rows(once.vcpuTrack(task));
      expect(rows(stepped.vcpuTrack(task))).toEqual(a);
      if (task >= 0 && task < m.tasks.length) expect(a.length).toBeGreaterThan(100);
    }
  });
});
