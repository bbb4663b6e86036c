import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, fixtureText } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { groupSlicesByCpu, type CpuSlices } from '../model/cpuSlices';
import { assembleRuns, type Run } from '../model/runs';
import { searchRun, type SearchInput } from './search';

// The real QEMU TCG recording as perf script with tgids: two VMs (vm20733, vm20735) of two vCPUs each.
let run: Run;
let input: SearchInput;
let slices: CpuSlices;
beforeAll(async () => {
  [run] = assembleRuns(await loadInputs([fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt')]));
  slices = groupSlicesByCpu(run.model);
  input = { model: run.model, vms: run.vms, slices };
});

/** Switch-ins of a tid counted straight from the perf script text (next_pid=TID). */
function switchInsOf(tid: number): number {
  return fixtureText('qemu-tcg-2vm-x2vcpu.script-pidtid.txt').split(`next_pid=${tid} `).length - 1;
}

describe('searchRun', () => {
  it('finds a thread by its tid, exactly, with its slice count from the trace', () => {
    const r = searchRun(input, '20746');
    expect(r.matches.map((m) => [m.kind, m.tid, m.name, m.field])).toEqual([['task', 20746, 'CPU 0/TCG', 'tid']]);
    expect(r.matches[0].slices).toBe(switchInsOf(20746));
    expect(r.matches[0].slices).toBeGreaterThan(10);
    expect(r.matches[0].vm).toBe(run.vms.findIndex((v) => v.vcpus.some((c) => c.tid === 20746)));
    // A prefix of a tid is not a tid.
    expect(searchRun(input, '2074').total).toBe(0);
  });

  it('finds threads by any part of any comm they had, case folded, in tid order', () => {
    const r = searchRun(input, 'cpu 1/t');
    expect(r.matches.map((m) => m.tid)).toEqual([20748, 20749]);
    expect(r.matches.every((m) => m.field === 'comm' && m.vm >= 0)).toBe(true);
    // perf-exec was renamed to sleep: both names find it.
    expect(searchRun(input, 'sleep').matches.map((m) => m.tid)).toEqual([20841]);
    expect(searchRun(input, 'PERF-EX').matches.map((m) => m.tid)).toEqual([20841]);
  });

  it('finds a VM by its name (grouping or shown label) or its process id, before its threads', () => {
    const r = searchRun(input, 'vm20735');
    expect(r.matches.map((m) => [m.kind, m.name, m.field])).toEqual([['vm', 'vm20735', 'vm']]);
    const vm = run.vms[r.matches[0].id];
    expect(r.matches[0].tasks.sort()).toEqual([...vm.vcpus, ...vm.otherThreads].map((t) => t.task).sort());
    expect(r.matches[0].slices).toBe([20747, 20749, 20735].reduce((n, tid) => n + switchInsOf(tid), 0));
    const renamed = searchRun(input, 'guest-b', (i) => (i === r.matches[0].id ? 'guest-b' : run.vms[i].name));
    expect(renamed.matches.map((m) => m.name)).toEqual(['guest-b']);
    // Its pid: the VM first, then its main thread (same id).
    expect(searchRun(input, '20735').matches.map((m) => [m.kind, m.field])).toEqual([
      ['vm', 'pid'],
      ['task', 'tid'],
    ]);
  });

  it('says nothing matched, and keeps the count past its limit', () => {
    expect(searchRun(input, 'no-such-thread')).toEqual({ query: 'no-such-thread', matches: [], total: 0 });
    expect(searchRun(input, '   ').total).toBe(0);
    const all = searchRun(input, 'r'); // every comm with an r
    expect(all.total).toBeGreaterThan(5);
    const few = searchRun(input, 'r', undefined, 2);
    expect([few.matches.length, few.total]).toEqual([2, all.total]);
  });
});
