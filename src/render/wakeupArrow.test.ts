import { beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { sliceWakeup, type SliceWakeup } from '../analysis/sliceWakeup';
import { assembleRuns, type Run } from '../model/runs';
import { fixturePath } from '../../test/fixtures';
import { FakeContext2D } from '../testing/fakeContext';
import { cpuLanes, vcpuLanes } from './lanes';
import { layoutLanes } from './layout';
import { drawWakeupArrows, wakeupArrow } from './wakeupArrow';
import { wakeupLines } from './wakeupText';
import { windowTimeText } from './timeAxis';

let run: Run;
let woken: SliceWakeup[];
let vcpuWoken: SliceWakeup[];
beforeAll(async () => {
  [run] = assembleRuns(await loadInputs([fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt')]));
  const sw = run.model.switches;
  const vcpus = new Set(run.vms.flatMap((vm) => vm.vcpus.map((v) => v.task)));
  woken = [];
  vcpuWoken = [];
  for (let i = 0; i < sw.length; i++) {
    const w = sliceWakeup(run.model, sw.next[i], sw.time[i]);
    if (!w?.wakeup || w.wakeup.waker <= 0) continue;
    if (woken.length < 50) woken.push(w);
    if (vcpus.has(w.task)) vcpuWoken.push(w);
  }
});

describe('wakeup arrows', () => {
  it('CPU lanes: from the lane of the CPU the wakeup ran on, at its time, to the slice start on the woken lane', () => {
    const lanes = cpuLanes(run.model);
    const layout = layoutLanes(lanes, 1000, 200);
    const view = { start: run.model.switches.time[0], end: run.model.switches.time[run.model.switches.length - 1] };
    expect(woken.length).toBe(50);
    for (const w of woken) {
      const to = lanes.findIndex((l) => l.kind === 'cpu' && l.cpu === w.cpu);
      const a = wakeupArrow(lanes, layout, view, w, to)!;
      expect(a.fromWaker).toBe(true);
      expect((lanes[a.fromLane] as { cpu: number }).cpu).toBe(w.wakeup!.wakerCpu);
      expect(a.y1).toBe(layout.top[to] + layout.laneHeight[to] / 2);
      expect(a.x0).toBeCloseTo(((w.wakeup!.time - view.start) / (view.end - view.start)) * 1000, 6);
      expect(a.x1).toBeCloseTo(((w.start - view.start) / (view.end - view.start)) * 1000, 6);
    }
  });

  it('vCPU lanes: from the waker’s own lane when it is a vCPU shown, else along the woken lane', () => {
    const lanes = vcpuLanes(run);
    const layout = layoutLanes(lanes, 800, 160);
    const view = { start: 0, end: run.model.switches.time[run.model.switches.length - 1] };
    let fromVcpu = 0;
    // A real recording's vCPUs spin: the few woken ones, mostly by a sibling vCPU.
    expect(vcpuWoken.length).toBeGreaterThan(5);
    for (const w of vcpuWoken) {
      const to = lanes.findIndex((l) => l.kind === 'vcpu' && l.task === w.task);
      const a = wakeupArrow(lanes, layout, view, w, to)!;
      const wakerLane = lanes.findIndex((l) => l.kind === 'vcpu' && l.task === w.wakeup!.waker);
      expect(a.fromLane).toBe(wakerLane >= 0 ? wakerLane : to);
      expect(a.fromWaker).toBe(wakerLane >= 0);
      if (wakerLane >= 0) fromVcpu++;
    }
    expect(fromVcpu).toBeGreaterThan(0);
    // No woken lane shown, no arrow.
    expect(wakeupArrow(lanes, layout, view, vcpuWoken[0], -1)).toBeNull();
    const ctx = new FakeContext2D(800, 160);
    drawWakeupArrows(ctx, [wakeupArrow(lanes, layout, view, vcpuWoken[0], 0)!], 1);
    // The white arrow over its dark halo: a head filled, a line stroked.
    expect(ctx.calls.filter((c) => c.op === 'fill').map((c) => c.fillStyle)).toEqual([
      'rgba(0, 0, 0, 0.75)',
      '#ffffff',
    ]);
    expect(ctx.calls.some((c) => c.op === 'stroke' && c.strokeStyle === '#ffffff')).toBe(true);
  });

  it('the tooltip lines name the waker, its CPU, the time and the latency', () => {
    const w = woken[0];
    const tt = windowTimeText({ start: 0, end: 1e9 }, 1000);
    const waker = {
      task: w.wakeup!.waker,
      tid: 4242,
      comm: 'CPU 1/KVM',
      isIdle: false,
      vm: 0,
      vmName: 'a',
      vcpuIndex: 1,
    };
    const [by, lat] = wakeupLines(w, waker, tt, () => 'vm-a');
    expect(by).toBe(
      `woken by CPU 1/KVM (tid 4242), vm-a · vCPU 1 on CPU ${w.wakeup!.wakerCpu} at ${tt.time(w.wakeup!.time)} (sched_waking)`,
    );
    expect(lat).toBe(`wakeup latency ${tt.duration(w.latency!)} (wakeup → switch-in on CPU ${w.cpu})`);
    expect(wakeupLines({ ...w, wakeup: null, latency: null, runnableWait: 5000 }, null, tt, () => '')).toEqual([
      'preempted: runnable for 5.00 µs before this switch-in (no wakeup)',
    ]);
  });
});
