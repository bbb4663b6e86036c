import { beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { rowOfSwitch } from '../model/cpuSlices';
import { assembleRuns, type Run } from '../model/runs';
import { SliceEnd, TaskKind } from '../model/types';
import { fixturePath } from '../../test/fixtures';
import { hitTest } from './hitTest';
import { FakeContext2D } from '../testing/fakeContext';
import { builder } from '../testing/models';
import { makeRun } from '../testing/runs';
import { sceneOfRun } from '../testing/scenes';

let run: Run;
beforeAll(async () => {
  [run] = assembleRuns(await loadInputs([fixturePath('synth-4vm-x2vcpu-spin.script-pidtid.txt')]));
});

/** The slice on `cpu` at time t from the raw switch table: its switch, task and end by the slice rule. */
function rawSliceAt(cpu: number, t: number) {
  const sw = run.model.switches;
  let i = -1;
  for (let k = 0; k < sw.length && sw.time[k] <= t; k++) if (sw.cpu[k] === cpu) i = k;
  if (i < 0) return null;
  const task = sw.next[i];
  let end = sw.time[sw.length - 1];
  for (let k = i + 1; k < sw.length; k++) {
    const normal = run.model.tasks.kind[task] === TaskKind.Normal;
    if (sw.cpu[k] === cpu || (normal && sw.next[k] === task)) {
      end = sw.time[k];
      break;
    }
  }
  return { i, task, start: sw.time[i], end };
}

function rawComm(task: number, t: number): string {
  let comm = run.model.tasks.comms[task][0];
  for (const c of run.model.commChanges) if (c.task === task && c.time <= t) comm = c.comm;
  return comm;
}

describe('hit testing a real recording', () => {
  it('finds the vCPU slice under a pixel on a CPU lane, as the raw switches say', () => {
    const m = run.model;
    const scene = sceneOfRun(run, { mode: 'cpu' });
    const sw = m.switches;
    const vcpuTids = new Map<number, { vm: string; index: number }>();
    for (const vm of run.vms) for (const v of vm.vcpus) vcpuTids.set(v.tid, { vm: vm.name, index: v.index });
    // Several known times: switches to a vCPU thread, probed in the middle of their slice.
    let checked = 0;
    for (let k = Math.floor(sw.length / 3); k < sw.length && checked < 25; k += 23) {
      const tid = m.tasks.tid[sw.next[k]];
      if (!vcpuTids.has(tid)) continue;
      const cpu = sw.cpu[k];
      const raw = rawSliceAt(cpu, sw.time[k]);
      if (!raw || raw.end - raw.start < 4) continue;
      const t = Math.floor((raw.start + raw.end) / 2);
      const lane = scene.lanes.findIndex((l) => l.kind === 'cpu' && l.cpu === cpu);
      // A 1-pixel window of 2 ns around t.
      const hit = hitTest(scene.hitContext(), lane, 0, t - 1, t + 1, 1);
      expect(hit).not.toBeNull();
      if (!hit) continue;
      expect(hit.state).toBe('slice');
      // Slices are named by their drawn row.
      expect(hit.slice).toBe(rowOfSwitch(run.model)[raw.i]);
      expect(hit.cpu).toBe(cpu);
      expect(hit.start).toBe(raw.start);
      expect(hit.length).toBe(raw.end - raw.start);
      expect(hit.task?.task).toBe(raw.task);
      expect(hit.task?.tid).toBe(tid);
      expect(hit.task?.comm).toBe(rawComm(raw.task, raw.start));
      expect(hit.task?.vmName).toBe(vcpuTids.get(tid)?.vm);
      expect(hit.task?.vcpuIndex).toBe(vcpuTids.get(tid)?.index);
      expect(hit.others).toBe(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('counts the other slices sharing a zoomed-out pixel', () => {
    const m = run.model;
    const scene = sceneOfRun(run, { mode: 'cpu' });
    const { start, end } = scene.bounds();
    const W = 200;
    const cpu = m.cpus[0];
    const lane = scene.lanes.findIndex((l) => l.kind === 'cpu' && l.cpu === cpu);
    for (const x of [3, 77, 150]) {
      const a = start + ((end - start) * x) / W;
      const b = start + ((end - start) * (x + 1)) / W;
      let touching = 0;
      for (let k = 0; k < m.switches.length; k++) {
        if (m.switches.cpu[k] !== cpu) continue;
        const s = m.switches.time[k];
        const e = m.slices.end[k];
        if (s < b && (e > a || (e === s && s >= a))) touching++;
      }
      const hit = hitTest(scene.hitContext(), lane, x, start, end, W);
      expect(hit?.touching).toBe(touching);
      expect(hit?.others).toBe(touching - 1);
    }
  });

  it('reports the same vCPU on its vCPU lane, with where it ran', () => {
    const m = run.model;
    const scene = sceneOfRun(run, { mode: 'vcpu' });
    const vm = run.vms[0];
    const v = vm.vcpus[0];
    const lane = scene.lanes.findIndex((l) => l.kind === 'vcpu' && l.task === v.task);
    const k = m.switches.next.indexOf(v.task, m.switches.length >> 1);
    const raw = rawSliceAt(m.switches.cpu[k], m.switches.time[k]);
    expect(raw).not.toBeNull();
    const t = m.switches.time[k];
    const hit = hitTest(scene.hitContext(), lane, 0, t, t + 1, 1);
    expect(hit?.state).toBe('slice');
    expect(hit?.cpu).toBe(m.switches.cpu[k]);
    expect(hit?.slice).toBe(rowOfSwitch(run.model)[k]);
    expect(hit?.task?.tid).toBe(v.tid);
    expect(hit?.task?.vmName).toBe(vm.name);
    if (m.slices.endReason[k] === SliceEnd.Switch) {
      // Right after the slice: off CPU, and who took the CPU.
      const after = m.slices.end[k];
      const off = hitTest(scene.hitContext(), lane, 0, after, after + 1, 1);
      if (off && off.state !== 'slice') {
        expect(['runnable', 'sleeping', 'woken']).toContain(off.state);
        expect(off.switchedInInstead).not.toBeNull();
      }
    }
  });

  it('hits through the scene at device pixels of the last frame drawn', () => {
    const scene = sceneOfRun(run, { mode: 'cpu' });
    const ctx = new FakeContext2D(400, 100);
    const layout = scene.layout(400, 100);
    scene.drawMap(ctx, scene.bounds(), layout);
    const y = layout.top[1] + 1;
    const hit = scene.hitAt(200, y);
    expect(hit?.lane).toBe(1);
    // What the tooltip says is what the pixel shows.
    const drawn = scene.lastLod?.value[1 * 400 + 200];
    if (hit?.state === 'slice') expect(hit.task?.task).toBe(drawn);
    expect(scene.hitAt(200, layout.top[1] + layout.laneHeight[1] + 1e6)).toBeNull();
  });
});

describe('hit testing unknown time', () => {
  it('says why a pixel is unknown', () => {
    const b = builder();
    const x = b.task(100, 'x', 0);
    const y = b.task(200, 'y', 0);
    b.addSwitch(0, 0, -1, 0, x);
    b.addSwitch(40, 1, -1, 0, y);
    b.addSwitch(50, 1, y, 0, x); // x migrates: CPU0 unknown from 50
    b.addSwitch(90, 0, -1, 0, 0);
    b.addSwitch(100, 1, x, 0, 0);
    const scene = sceneOfRun(makeRun(b.finish()), { mode: 'cpu' });
    const ctx = scene.hitContext();
    const before = hitTest(ctx, 1, 1, 0, 100, 10);
    expect(before?.state).toBe('unknown');
    expect(before?.unknownReason).toMatch(/before CPU 1's first switch/);
    const afterMigration = hitTest(ctx, 0, 6, 0, 100, 10);
    expect(afterMigration?.state).toBe('unknown');
    expect(afterMigration?.start).toBe(50);
    expect(afterMigration?.end).toBe(90);
    expect(afterMigration?.unknownReason).toMatch(/switched in on another CPU/);
    // Idle is a slice of its own, not unknown.
    const idle = hitTest(ctx, 0, 9, 0, 100, 10);
    expect(idle?.state).toBe('slice');
    expect(idle?.task?.isIdle).toBe(true);
  });
});
