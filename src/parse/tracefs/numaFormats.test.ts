// NUMA balancing tracepoints in the binary readers (trace.dat, perf.data: both write records through
// SchedModelWriter). This machine has one node, so AutoNUMA never fires and no recording holds these events:
// the records are built (encodeRecord) after this machine's own format files, copied from
// /sys/kernel/tracing/events/{sched,migrate}/*/format of Linux 6.18 (test/fixtures/TRACES.md), and must give
// the numaEvents the text parsers give for the lines the same formats print.

import { describe, expect, it } from 'vitest';
import { TraceBuilder } from '../../model/builder';
import { NumaEventKind, type TraceModel } from '../../model/types';
import { fixtureText } from '../../../test/fixtures';
import { parseTrace, textSource } from '../parseInput';
import { EventReader } from './eventReader';
import { recordOf } from './fields';
import { parseEventFormat } from './format';
import { encodeRecord } from './recordWriter';
import { SchedModelWriter } from './schedModel';

const K = 'tracefs/linux-6.18.44-x86_64';
const reader = (ev: string, sys: string) =>
  new EventReader(parseEventFormat(fixtureText(`${K}/${ev}.format`), sys), true);

const MOVE = reader('sched_move_numa', 'sched');
const STICK = reader('sched_stick_numa', 'sched');
const SWAP = reader('sched_swap_numa', 'sched');
const MIGRATE = reader('mm_migrate_pages', 'migrate');

/** time (ns), cpu, the thread that ran it, the format and its field values. */
const RECORDS: [number, number, number, EventReader, Record<string, number>][] = [
  [1000, 1, 14601, MOVE, { pid: 14601, tgid: 14578, ngid: 14578, src_cpu: 1, src_nid: 1, dst_cpu: 0, dst_nid: 0 }],
  [
    2000,
    0,
    14601,
    SWAP,
    {
      ...{ src_pid: 14601, src_tgid: 14578, src_ngid: 14578, src_cpu: 0, src_nid: 0 },
      ...{ dst_pid: 14600, dst_tgid: 14580, dst_ngid: 14580, dst_cpu: 2, dst_nid: 1 },
    },
  ],
  [
    3000,
    2,
    14603,
    STICK,
    {
      ...{ src_pid: 14603, src_tgid: 14578, src_ngid: 14578, src_cpu: 2, src_nid: 1 },
      ...{ dst_pid: -1, dst_tgid: -1, dst_ngid: -1, dst_cpu: 0, dst_nid: 0 },
    },
  ],
  // reason 5 = numa_misplaced, 0 = compaction (its __print_symbolic table); mode 0 = MIGRATE_ASYNC.
  [4000, 3, 14601, MIGRATE, { succeeded: 512, failed: 0, thp_succeeded: 1, mode: 0, reason: 5 }],
  [5000, 3, 14601, MIGRATE, { succeeded: 3, failed: 0, mode: 1, reason: 0 }],
];

const numaOf = (m: TraceModel) => {
  const e = m.numaEvents;
  return Array.from({ length: e.length }, (_, i) => ({
    time: e.time[i],
    tid: m.tasks.tid[e.task[i]],
    cpu: e.cpu[i],
    kind: e.kind[i],
    src: e.srcNid[i],
    dst: e.dstNid[i],
    pages: e.pages[i],
  }));
};

describe('NUMA balancing records through the event formats', () => {
  it('sched_move/swap/stick_numa and mm_migrate_pages by reason, as the text parser reads their lines', async () => {
    const b = new TraceBuilder('ftrace');
    const w = new SchedModelWriter(b, { qualifiedNames: false });
    const lines: string[] = [];
    for (const [time, cpu, tid, r, values] of RECORDS) {
      const rec = recordOf(encodeRecord(r.format, { common_pid: tid, ...values }, true));
      expect(w.write(w.compile(r), rec, time, cpu, tid)).toBeNull();
      // The line trace-cmd report prints for it (ftrace layout), for the text oracle.
      const ts = (1 + time / 1e9).toFixed(9);
      lines.push(`      CPU 0/KVM-${tid}   [00${cpu}] .....  ${ts}: ${r.format.name}: ${r.render(rec)}`);
    }
    // The rendered payloads are the kernel's print fmt with the symbolic reason.
    expect(lines[3]).toMatch(
      /mm_migrate_pages: nr_succeeded=512 nr_failed=0 .* mode=MIGRATE_ASYNC reason=numa_misplaced$/,
    );
    expect(lines[4]).toMatch(/reason=compaction$/);
    const bin = b.finish();
    expect(numaOf(bin)).toEqual([
      { time: 1000, tid: 14601, cpu: 1, kind: NumaEventKind.Move, src: 1, dst: 0, pages: 0 },
      { time: 2000, tid: 14601, cpu: 0, kind: NumaEventKind.Swap, src: 0, dst: 1, pages: 0 },
      { time: 3000, tid: 14603, cpu: 2, kind: NumaEventKind.Stick, src: 1, dst: 0, pages: 0 },
      { time: 4000, tid: 14601, cpu: 3, kind: NumaEventKind.MigratePages, src: -1, dst: -1, pages: 512 },
    ]);
    expect(bin.ignoredEvents).toEqual({ 'mm_migrate_pages reason=compaction': 1 });

    // The text parser on the same lines: the same events (its times count from its first line).
    const sw =
      '          <idle>-0       [000] .....     1.000000100: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=CPU 0/KVM next_pid=14601 next_prio=120';
    const text = await parseTrace(textSource(`# tracer: nop\n${sw}\n${lines.join('\n')}\n`));
    expect(numaOf(text).map(({ time: _t, ...e }) => e)).toEqual(numaOf(bin).map(({ time: _t, ...e }) => e));
    expect(text.ignoredEvents).toEqual(bin.ignoredEvents);
  });

  it('a record shorter than its format is skipped with the reason', () => {
    const b = new TraceBuilder('ftrace');
    const w = new SchedModelWriter(b, { qualifiedNames: true });
    const full = encodeRecord(MOVE.format, { pid: 1, src_nid: 0, dst_nid: 1 }, true);
    const cut = recordOf(full.slice(0, 12));
    expect(w.write(w.compile(MOVE), cut, 1, 0, 1)).toBe(
      'sched:sched_move_numa: record of 12 bytes is shorter than its format',
    );
    expect(b.finish().numaEvents.length).toBe(0);
  });
});
