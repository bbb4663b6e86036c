import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { cpuOfRow, groupSlicesByCpu, rowOfSwitch, type CpuSlices } from '../model/cpuSlices';
import { assembleRuns, type Run } from '../model/runs';
import { cpuLanes, vcpuLanes } from './lanes';
import { searchJump, vmJump } from './searchJump';
import { viewBounds } from './viewport';

let run: Run;
let slices: CpuSlices;
beforeAll(async () => {
  [run] = assembleRuns(await loadInputs([fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt')]));
  slices = groupSlicesByCpu(run.model);
});

const taskOf = (tid: number): number => run.model.tasks.tid.indexOf(tid);
/** The task's rows in switch order, from the model. */
const rowsOf = (task: number): number[] => {
  const rows = rowOfSwitch(run.model);
  const { next, length } = run.model.switches;
  return Array.from({ length }, (_, i) => i).flatMap((i) => (next[i] === task ? [rows[i]] : []));
};

describe('searchJump', () => {
  it('takes the first slice in the window on its CPU lane and leaves the window alone', () => {
    const task = taskOf(20746);
    const rows = rowsOf(task);
    const mid = rows[Math.floor(rows.length / 2)];
    const view = { start: slices.start[mid] - 10, end: slices.end[mid] + 1e6 };
    const bounds = viewBounds(0, run.model.switches.time[run.model.switches.length - 1]);
    const lanes = cpuLanes(run.model);
    const j = searchJump(slices, lanes, [task], view, bounds)!;
    // The first of its slices still running at the window's start (maybe one before `mid`).
    const expected = rows.find((r) => slices.end[r] > view.start)!;
    expect(j.row).toBe(expected);
    expect(j.view).toBeNull();
    expect(lanes[j.lane]).toMatchObject({ kind: 'cpu', cpu: cpuOfRow(slices.offset, expected) });
  });

  it('moves the window to the next slice when none is in view, else back to the first', () => {
    const task = taskOf(20749);
    const rows = rowsOf(task);
    const bounds = viewBounds(0, run.model.switches.time[run.model.switches.length - 1]);
    const lanes = vcpuLanes(run);
    // A window in a gap between two of its slices.
    const k = rows.findIndex((r, i) => i + 1 < rows.length && slices.start[rows[i + 1]] - slices.end[r] > 20_000);
    expect(k).toBeGreaterThanOrEqual(0);
    const gap = { start: slices.end[rows[k]] + 1, end: slices.end[rows[k]] + 10_001 };
    const j = searchJump(slices, lanes, [task], gap, bounds)!;
    expect(j.row).toBe(rows[k + 1]);
    expect(lanes[j.lane]).toMatchObject({ kind: 'vcpu', tid: 20749 });
    // A window starting exactly where a slice ends does not hold it: the next one is the jump.
    const atEnd = { start: slices.end[rows[k]], end: slices.end[rows[k]] + 10_000 };
    expect(searchJump(slices, lanes, [task], atEnd, bounds)!.row).toBe(rows[k + 1]);
    const mid = (slices.start[j.row] + slices.end[j.row]) / 2;
    expect(j.view!.end - j.view!.start).toBeCloseTo(
      Math.max(10_000, (slices.end[j.row] - slices.start[j.row]) * 1.1),
      0,
    );
    expect((j.view!.start + j.view!.end) / 2).toBeCloseTo(mid, 0);
    // Past its last slice: its first one.
    const late = { start: slices.end[rows[rows.length - 1]] + 1, end: slices.end[rows[rows.length - 1]] + 2 };
    expect(searchJump(slices, lanes, [task], late, viewBounds(0, late.end + 1e6))!.row).toBe(rows[0]);
  });

  it('has no jump for a host task in vCPU lanes or a task whose CPUs are not shown', () => {
    const bounds = viewBounds(0, 1e12);
    const view = { start: 0, end: 1e12 };
    expect(searchJump(slices, vcpuLanes(run), [taskOf(15)], view, bounds)).toBeNull();
    const task = taskOf(20746);
    const cpus = new Set(rowsOf(task).map((r) => cpuOfRow(slices.offset, r)));
    const others = cpuLanes(run.model).filter((l) => !cpus.has(l.cpu));
    expect(searchJump(slices, others, [task], view, bounds)).toBeNull();
  });

  it('shows a VM match as the VM: its whole span, its block of lanes in vCPU lanes, the CPUs it ran on in CPU lanes', () => {
    const bounds = viewBounds(0, run.model.switches.time[run.model.switches.length - 1]);
    for (const [v, vm] of run.vms.entries()) {
      const tasks = [...vm.vcpus.map((c) => c.task), ...vm.otherThreads.map((t) => t.task)].filter((t) => t >= 0);
      // The span from the raw switch table: the first switch-in of any of its threads to the last slice end.
      const sw = run.model.switches;
      const ins = [...Array(sw.length).keys()].filter((i) => tasks.includes(sw.next[i]));
      const lo = Math.min(...ins.map((i) => sw.time[i]));
      const hi = Math.max(...ins.map((i) => run.model.slices.end[i]));
      const byCpu = cpuLanes(run.model);
      const cpu = vmJump(slices, byCpu, tasks, bounds)!;
      // CPU lanes: the first and last lane of the CPUs its threads (or only its vCPUs) were switched in on.
      const lanesOf = (ts: number[]): number[] =>
        [...new Set(ins.filter((i) => ts.includes(sw.next[i])).map((i) => sw.cpu[i]))].map((c) =>
          byCpu.findIndex((l) => l.kind === 'cpu' && l.cpu === c),
        );
      const ranOn = lanesOf(tasks);
      expect(ranOn.length).toBeGreaterThan(0);
      expect(cpu.lanes).toEqual([Math.min(...ranOn), Math.max(...ranOn)]);
      const vcpus = vm.vcpus.map((c) => c.task);
      const vcpuRan = lanesOf(vcpus);
      expect(vmJump(slices, byCpu, tasks, bounds, { vcpus })!.lanes).toEqual([
        Math.min(...vcpuRan),
        Math.max(...vcpuRan),
      ]);
      // Lanes before `pinned` (the pinned band, always in view) do not count; none left: no lanes.
      const later = ranOn.filter((l) => l > Math.min(...ranOn));
      expect(vmJump(slices, byCpu, tasks, bounds, { pinned: Math.min(...ranOn) + 1 })!.lanes).toEqual(
        later.length > 0 ? [Math.min(...later), Math.max(...later)] : null,
      );
      expect(vmJump(slices, byCpu, tasks, bounds, { pinned: Math.max(...ranOn) + 1 })!.lanes).toBeNull();
      expect(cpu.view.start).toBeCloseTo(Math.max(bounds.start, Math.min(lo, (lo + hi) / 2 - bounds.minSpan / 2)), 0);
      expect(cpu.view.end).toBeCloseTo(Math.min(bounds.end, Math.max(hi, (lo + hi) / 2 + bounds.minSpan / 2)), 0);
      // vCPU lanes: the VM's block (its vCPU lanes), and the span of its vCPUs (other threads have no lane).
      const lanes = vcpuLanes(run);
      const block = lanes.flatMap((l, i) => (l.kind === 'vcpu' && l.vm === v ? [i] : []));
      const j = vmJump(slices, lanes, tasks, bounds)!;
      expect(j.lanes).toEqual([block[0], block[block.length - 1]]);
      const vins = ins.filter((i) => vm.vcpus.some((c) => c.task === sw.next[i]));
      expect(j.view.start).toBeCloseTo(Math.min(...vins.map((i) => sw.time[i])), 0);
    }
  });
});
