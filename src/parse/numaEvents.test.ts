// NUMA balancing tracepoints in perf script and ftrace text. This machine has one node, so AutoNUMA never fires
// here: the lines are written after the kernel's TP_printk formats (include/trace/events/sched.h,
// include/trace/events/migrate.h) into real recordings, next to their own events and threads.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { numaBalancingOfVms } from '../analysis/memory';
import { num } from '../model/format';
import { resolveWindow } from '../analysis/window';
import { assembleRuns } from '../model/runs';
import { NumaEventKind } from '../model/types';
import { parseTrace, textSource } from './parseInput';

/** The recording's text with `extra` lines put after line `at`, at that line's timestamp. */
function withLines(name: string, at: number, extra: (ts: string) => string[]): string {
  const lines = fixtureText(name).split('\n');
  const ts = /\s(\d+\.\d+):/.exec(lines[at - 1])?.[1];
  if (!ts) throw new Error(`line ${at} has no timestamp`);
  lines.splice(at, 0, ...extra(ts));
  return lines.join('\n');
}

describe('NUMA balancing events', () => {
  it('perf script: move, swap, stick (both forms), mm_migrate_pages by reason', async () => {
    const text = withLines('qemu-nodebug-3vm.script-pidtid.txt', 1000, (ts) => [
      `CPU 0/TCG 14578/14601 [001] ${ts}: sched:sched_move_numa: pid=14601 tgid=14578 ngid=14578 src_cpu=1 src_nid=1 dst_cpu=0 dst_nid=0`,
      `CPU 0/TCG 14578/14601 [001] ${ts}: sched:sched_swap_numa: src_pid=14601 src_tgid=14578 src_ngid=14578 src_cpu=1 src_nid=1 dst_pid=14600 dst_tgid=14580 dst_ngid=14580 dst_cpu=0 dst_nid=0`,
      `CPU 0/TCG 14578/14601 [001] ${ts}: sched:sched_stick_numa: src_pid=14603 src_tgid=14578 src_ngid=14578 src_cpu=1 src_nid=1 dst_pid=-1 dst_tgid=-1 dst_ngid=-1 dst_cpu=0 dst_nid=0`,
      `CPU 0/TCG 14578/14601 [001] ${ts}: sched:sched_stick_numa: pid=14603 tgid=14578 ngid=14578 src_cpu=1 src_nid=1 dst_cpu=-1 dst_nid=-1`,
      `CPU 0/TCG 14578/14601 [001] ${ts}: migrate:mm_migrate_pages: nr_succeeded=512 nr_failed=0 nr_thp_succeeded=1 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_ASYNC reason=numa_misplaced`,
      `CPU 0/TCG 14578/14601 [001] ${ts}: migrate:mm_migrate_pages: nr_succeeded=3 nr_failed=0 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_SYNC_LIGHT reason=compaction`,
    ]);
    const m = await parseTrace(textSource(text));
    const e = m.numaEvents;
    const tid = (i: number) => m.tasks.tid[e.task[i]];
    expect(e.length).toBe(5);
    expect([...e.kind]).toEqual([
      NumaEventKind.Move,
      NumaEventKind.Swap,
      NumaEventKind.Stick,
      NumaEventKind.Stick,
      NumaEventKind.MigratePages,
    ]);
    expect([0, 1, 2, 3, 4].map(tid)).toEqual([14601, 14601, 14603, 14603, 14601]);
    expect([...e.srcNid]).toEqual([1, 1, 1, 1, -1]);
    expect([...e.dstNid]).toEqual([0, 0, 0, -1, -1]);
    expect([...e.pages]).toEqual([0, 0, 0, 0, 512]);
    // The CPU each was recorded on ([001]): where the map draws its mark.
    expect([...e.cpu]).toEqual([1, 1, 1, 1, 1]);
    expect(m.ignoredEvents['mm_migrate_pages reason=compaction']).toBe(1);
    expect(m.skippedLines).toBe(0);

    // Per VM: all five are about threads of pid 14578 (the swap is counted for its source task).
    const run = assembleRuns([{ name: 't', kind: 'trace', model: m }])[0];
    const D = resolveWindow(m).duration / 1e9;
    // docs/metrics.md's worked example of the rates.
    expect(D).toBeCloseTo(1.08802, 6);
    const b = numaBalancingOfVms(run);
    const of = (pid: number) => b[run.vms.findIndex((v) => v.tgid === pid)];
    expect(of(14578).numaBalancingEventsPerSec).toEqual({
      move: 1 / D,
      stick: 2 / D,
      swap: 1 / D,
      migratePages: 1 / D,
    });
    expect(of(14578).numaBalancingPerSec).toBeCloseTo(5 / D, 9);
    expect(of(14578).numaMigratedPagesPerSec).toBeCloseTo(512 / D, 9);
    expect([of(14578).numaBalancingPerSec, of(14578).numaMigratedPagesPerSec].map((x) => num(x))).toEqual([
      '4.6',
      '471',
    ]);
    expect(of(14580).numaBalancingPerSec).toBe(0);
  });

  it('ftrace: the same payloads without the system prefix; a bad one is skipped with its line', async () => {
    const text = withLines('ftrace-qemu-3vm-x2vcpu.ftrace.txt', 20, (ts) => [
      `       CPU 1/TCG-29812   (  29792) [001] d..3.  ${ts}: sched_move_numa: pid=29812 tgid=29792 ngid=29792 src_cpu=1 src_nid=0 dst_cpu=0 dst_nid=1`,
      `       CPU 1/TCG-29812   (  29792) [001] d..3.  ${ts}: sched_move_numa: tgid=29792`,
    ]);
    const m = await parseTrace(textSource(text));
    expect(m.numaEvents.length).toBe(1);
    expect(m.tasks.tid[m.numaEvents.task[0]]).toBe(29812);
    expect(m.warnings.find((w) => w.line === 22)?.message).toMatch(/sched_move_numa: expected pid= or src_pid= first/);
  });
});
