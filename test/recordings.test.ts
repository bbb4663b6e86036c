// Every real recording, through the whole streaming pipeline (gzip sniffing,
// detection, parser, model, VM grouping): the files of one recording agree,
// and VM grouping matches the ground truth read from /proc at record time.

import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeRun } from '../src/analysis/summary';
import { loadInputs } from '../src/cli/loadFiles';
import { assembleRuns, type Run } from '../src/model/runs';
import { fixturePath, fixtureText, RECORDINGS, truth, type Truth } from './fixtures';

async function runsOf(...files: string[]): Promise<Run[]> {
  return assembleRuns(await loadInputs(files.map(fixturePath)));
}

async function runOf(file: string): Promise<Run> {
  const runs = await runsOf(file);
  expect(runs).toHaveLength(1);
  return runs[0];
}

/** vCPU tid sets per VM, as sorted strings, order-free. */
const vcpuSets = (sets: number[][]): string[] => sets.map((s) => [...s].sort((a, b) => a - b).join(',')).sort();
const truthSets = (t: Truth): string[] => vcpuSets(t.vms.map((vm) => vm.vcpus.map((v) => v.tid)));
const runSets = (r: Run): string[] => vcpuSets(r.vms.map((vm) => vm.vcpus.map((v) => v.tid)));

/** Truth VMs whose vCPU tid ranges overlap: VMs started together. */
function truthInterleaves(t: Truth): boolean {
  const ranges = t.vms.map((vm) => {
    const tids = vm.vcpus.map((v) => v.tid);
    return [Math.min(...tids), Math.max(...tids)];
  });
  return ranges.some(([a0, a1], i) => ranges.some(([b0, b1], j) => i !== j && a0 < b1 && b0 < a1));
}

describe.each(RECORDINGS)('recording %s', (rec) => {
  const t = truth(rec);

  it('map, map-compact, script, script-pidtid and timehist agree on switches, cpus, tasks, duration', async () => {
    const kinds = ['map', 'map-compact', 'script', 'script-pidtid', 'timehist'];
    const summaries: ReturnType<typeof summarizeRun>[] = [];
    for (const k of kinds) summaries.push(summarizeRun(await runOf(`${rec}.${k}.txt`)));
    const [ref] = summaries;
    expect(ref.switches).toBeGreaterThan(1000);
    const pick = (s: (typeof summaries)[number]) => ({
      switches: s.switches,
      cpus: s.cpus,
      durationSec: s.durationSec,
    });
    for (const s of summaries) {
      expect(s.skippedLines, `${s.file} skipped lines`).toBe(0);
      expect(pick(s), s.file).toEqual(pick(ref));
    }
    // Every format that names the task switched in agrees on the tasks.
    for (const s of summaries.slice(0, 4)) expect(s.tasks, s.file).toBe(ref.tasks);
    // A timehist names only the task switched OUT; the task a switch brings in
    // is the one the next line on that CPU switches out. So it knows exactly the
    // prev tasks of all but each CPU's first switch (from the script text):
    // tasks whose switch-out the recording lost are not in it.
    const sw = [...fixtureText(`${rec}.script.txt`).matchAll(/\[(\d+)\] +[\d.]+: +sched:sched_switch: .* prev_pid=(\d+) .* next_pid=(\d+)/g)];
    const seenCpu = new Set<string>();
    const knowable = new Set<string>();
    for (const [, cpu, prev] of sw) {
      if (seenCpu.has(cpu) && prev !== '0') knowable.add(prev);
      seenCpu.add(cpu);
    }
    expect(summaries[4].tasks).toBe(knowable.size);
    expect(summaries.map((s) => s.format)).toEqual([
      'perf-sched-map',
      'perf-sched-map',
      'perf-script',
      'perf-script',
      'perf-sched-timehist',
    ]);
  });

  it('groups vCPUs by tgid exactly as the truth (script-pidtid, timehist)', async () => {
    for (const k of ['script-pidtid', 'timehist']) {
      const run = await runOf(`${rec}.${k}.txt`);
      expect(runSets(run), k).toEqual(truthSets(t));
      for (const vm of run.vms) {
        expect(vm.grouping).toBe('tgid');
        expect(vm.ambiguous).toBe(false);
        const tv = t.vms.find((x) => x.pid === vm.tgid);
        expect(tv, `truth VM with tgid ${vm.tgid}`).toBeDefined();
        expect(vm.name).toBe(`vm${vm.tgid}`);
        // vCPU indices and comms as QEMU named them.
        for (const v of vm.vcpus) {
          const tvc = tv?.vcpus.find((x) => x.tid === v.tid);
          expect(v.index).toBe(tvc?.vcpu);
          expect(v.comm).toBe(tvc?.comm);
        }
        // Other threads are threads of the VM process that switched in; never a vCPU.
        const truthOthers = new Set(tv?.other_threads.map((o) => o.tid));
        for (const o of vm.otherThreads) expect(truthOthers.has(o.tid), `other thread ${o.tid}`).toBe(true);
      }
    }
  });

  it('groups a map by tgid when its timehist is dropped with it (companion)', async () => {
    const runs = await runsOf(`${rec}.map.txt`, `${rec}.timehist.txt`);
    expect(runs).toHaveLength(1);
    expect(runs[0].companions).toEqual([basename(fixturePath(`${rec}.timehist.txt`))]);
    expect(runSets(runs[0])).toEqual(truthSets(t));
    for (const vm of runs[0].vms) expect(vm.grouping).toBe('companion');
  });

  it('finds exactly the truth vCPU threads from the map alone, flagged ambiguous where tids interleave', async () => {
    for (const k of ['map', 'map-compact', 'script']) {
      const run = await runOf(`${rec}.${k}.txt`);
      const found = run.vms.flatMap((vm) => vm.vcpus.map((v) => v.tid)).sort((a, b) => a - b);
      const expected = t.vms.flatMap((vm) => vm.vcpus.map((v) => v.tid)).sort((a, b) => a - b);
      expect(found, k).toEqual(expected);
      for (const vm of run.vms) expect(vm.grouping).toBe('name');
      const interleaved = truthInterleaves(t);
      expect(
        run.vms.every((vm) => vm.ambiguous === interleaved),
        `${k}: ambiguous flags ${run.vms.map((v) => v.ambiguous)} vs interleaved ${interleaved}`,
      ).toBe(true);
      // Where the guess is not flagged, it must be right.
      if (!interleaved) expect(runSets(run)).toEqual(truthSets(t));
    }
  });
});

describe('ftrace and trace-cmd recordings', () => {
  it('ftrace with record-tgid groups by tgid exactly as the truth', async () => {
    const t = truth('ftrace-qemu-3vm-x2vcpu');
    const run = await runOf('ftrace-qemu-3vm-x2vcpu.ftrace.txt');
    expect(run.model.format).toBe('ftrace');
    expect(run.model.skippedLines).toBe(0);
    expect(run.model.hasStates).toBe(true);
    expect(runSets(run)).toEqual(truthSets(t));
    for (const vm of run.vms) expect(vm.grouping).toBe('tgid');
  });

  it('trace-cmd report and perf script --ns find the truth vCPU threads by name', async () => {
    const t = truth('tracecmd-qemu-2vm-x3vcpu');
    const expected = t.vms.flatMap((vm) => vm.vcpus.map((v) => v.tid)).sort((a, b) => a - b);
    for (const f of ['tracecmd-qemu-2vm-x3vcpu.tracecmd.txt', 'tracecmd-qemu-2vm-x3vcpu.script-ns.txt', 'tracecmd-qemu-2vm-x3vcpu.map.txt']) {
      const run = await runOf(f);
      expect(run.model.skippedLines, f).toBe(0);
      expect(run.vms.flatMap((vm) => vm.vcpus.map((v) => v.tid)).sort((a, b) => a - b), f).toEqual(expected);
      if (!truthInterleaves(t)) expect(runSets(run), f).toEqual(truthSets(t));
    }
  });

  it('perf script --ns keeps nanoseconds exactly', async () => {
    const run = await runOf('tracecmd-qemu-2vm-x3vcpu.script-ns.txt');
    // 3967.217397161 - 3967.217382500 (first event) = 14661 ns
    expect(run.model.switches.time[0]).toBe(14661);
  });
});
