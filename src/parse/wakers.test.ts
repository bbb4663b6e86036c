// The waker of every wakeup (the thread that ran the event, on the CPU it was recorded on), judged against
// the real tools' text: perf script's and trace-cmd report's line prefix, and the binary recordings of
// the same sessions read to the same wakers.

import { describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { assembleRuns } from '../model/runs';
import { WAKER_CPU_UNKNOWN, type TraceModel } from '../model/types';
import { fixturePath, fixtureText } from '../../test/fixtures';

async function modelOf(name: string): Promise<TraceModel> {
  return assembleRuns(await loadInputs([fixturePath(name)]))[0].model;
}

/** (waker tid, waker CPU) of every wakeup of a model, in order. */
function wakers(m: TraceModel): string[] {
  const wk = m.wakeups;
  return Array.from({ length: wk.length }, (_, i) => {
    const w = wk.waker[i];
    return `${w >= 0 ? m.tasks.tid[w] : '?'}@${wk.wakerCpu[i] === WAKER_CPU_UNKNOWN ? '?' : wk.wakerCpu[i]}`;
  });
}

/** The same from the text: every sched_waking/wakeup/wakeup_new line's own tid and [cpu]. */
function wakersInText(text: string, prefix: RegExp): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!/sched_wak(ing|eup|eup_new):/.test(line)) continue;
    const m = prefix.exec(line);
    if (!m) throw new Error(`no prefix in ${line}`);
    out.push(`${Number(m[1])}@${Number(m[2])}`);
  }
  return out;
}

// perf script: `comm pid/tid [cpu] time:`; trace-cmd report: `comm-tid [cpu] time:`.
const PERF = /\s(?:\d+\/)?(\d+)\s+\[(\d+)\]\s+\d+\.\d+:/;
const FTRACE = /-(\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(\d+)\]\s+/;

describe('wakers', () => {
  it('perf script (real QEMU recording): each wakeup’s waker is its line’s thread and CPU', async () => {
    const name = 'qemu-tcg-2vm-x2vcpu.script-pidtid.txt';
    const m = await modelOf(name);
    const expected = wakersInText(fixtureText(name), PERF);
    expect(m.wakeups.length).toBe(expected.length);
    expect(m.wakeups.length).toBeGreaterThan(1000);
    expect(wakers(m)).toEqual(expected);
  });

  it('trace-cmd report and its trace.dat: the same wakers as the report’s prefixes', async () => {
    const report = 'tracecmd-vmsim-4vm-x2vcpu.report-t.txt';
    const fromText = await modelOf(report);
    const expected = wakersInText(fixtureText(report), FTRACE);
    expect(wakers(fromText)).toEqual(expected);
    const fromDat = await modelOf('tracecmd-vmsim-4vm-x2vcpu.v7-zstd.dat');
    expect(wakers(fromDat)).toEqual(expected);
  });

  it('perf.data and its perf script: the same wakers', async () => {
    const script = await modelOf('perf-vmsim-2vm-x2vcpu.sched.script-ns.txt');
    const data = await modelOf('perf-vmsim-2vm-x2vcpu.sched.perf.data');
    expect(script.wakeups.length).toBeGreaterThan(100);
    expect(wakers(data)).toEqual(wakers(script));
    expect(wakers(script)).toEqual(wakersInText(fixtureText('perf-vmsim-2vm-x2vcpu.sched.script-ns.txt'), PERF));
  });

  it('a perf sched map has no wakeups', async () => {
    expect((await modelOf('qemu-tcg-2vm-x2vcpu.map.txt')).wakeups.length).toBe(0);
  });
});
