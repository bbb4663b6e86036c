// synth's perf.data against synth's own text of the same run: perf itself
// (/usr/bin/perf) prints the file back as the lines `--format script-pidtid`,
// `script` and `timehist` write, and our reader builds the model the perf
// script parser builds from the script-pidtid text. The formats the file carries are this
// host's real tracefs files (test/fixtures/tracefs/linux-6.18.44-x86_64).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../test/fixtures';
import type { TraceModel } from '../model/types';
import { bytesSource, parseTrace, textSource } from '../parse/parseInput';
import { memorySource } from '../parse/source';
import { runSynth, type SynthOptions } from './generate';
import * as K from './kernelFormats';
import type { PerfDataOutput } from './perfDataFile';

const OPTIONS: SynthOptions = {
  cpus: 4,
  vms: 2,
  vcpus: 3,
  seconds: 0.08,
  policy: 'ple-on',
  format: 'perf.data',
  seed: 7,
  kvm: true,
  warmup: 0.02,
};

/** An in-memory file: appended chunks, the header patched at the end. */
function memoryFile(): PerfDataOutput & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  const patches: { at: number; b: Uint8Array }[] = [];
  return {
    write: (b) => chunks.push(b.slice()),
    writeAt: (at, b) => patches.push({ at, b: b.slice() }),
    bytes() {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      for (const p of patches) out.set(p.b, p.at);
      return out;
    },
  };
}

function synthPerfData(options: SynthOptions): Uint8Array {
  const file = memoryFile();
  runSynth({ ...options, format: 'perf.data' }, () => {}, { out: file, cmdline: ['schedmap', 'synth', '--kvm'] });
  return file.bytes();
}

function synthText(options: SynthOptions): string {
  const parts: string[] = [];
  runSynth(options, (s) => parts.push(s));
  return parts.join('');
}

/** Microseconds since boot, truncated as perf script prints them. */
const usec = (m: TraceModel, t: number): string =>
  String((BigInt(m.origin.sec) * 1000000000n + BigInt(m.origin.ns) + BigInt(t)) / 1000n);

/** Everything the two readers must agree on, by tid, at perf script's µs. */
function view(m: TraceModel) {
  const tid = (i: number): number => m.tasks.tid[i];
  const { switches: s, wakeups: w, migrations: g, kvmExits: x, kvmEntries: n } = m;
  const tgids = new Map<number, number>();
  for (let i = 0; i < m.tasks.length; i++) if (m.tasks.tgid[i] > 0) tgids.set(m.tasks.tid[i], m.tasks.tgid[i]);
  return {
    switches: Array.from(
      { length: s.length },
      (_, i) => `${usec(m, s.time[i])} ${s.cpu[i]} ${tid(s.prev[i])} ${s.prevState[i]} ${tid(s.next[i])}`,
    ),
    wakeups: Array.from(
      { length: w.length },
      (_, i) => `${usec(m, w.time[i])} ${tid(w.task[i])} ${w.cpu[i]} ${w.kind[i]}`,
    ),
    migrations: Array.from(
      { length: g.length },
      (_, i) => `${usec(m, g.time[i])} ${tid(g.task[i])} ${g.fromCpu[i]} ${g.toCpu[i]}`,
    ),
    kvmExits: Array.from(
      { length: x.length },
      (_, i) => `${usec(m, x.time[i])} ${x.cpu[i]} ${tid(x.task[i])} ${m.kvmExitReasons[x.reason[i]]} ${x.vcpu[i]}`,
    ),
    kvmEntries: Array.from({ length: n.length }, (_, i) => `${usec(m, n.time[i])} ${tid(n.task[i])}`),
    tasks: Array.from({ length: m.tasks.length }, (_, i) => `${tid(i)} ${m.tasks.comms[i].join('|')}`).sort(),
    tgids: [...tgids].sort((a, b) => a[0] - b[0]),
    cpus: m.cpus,
    skipped: m.skippedLines,
  };
}

describe('synth --format perf.data', () => {
  it('carries this host’s own event formats, byte for byte', () => {
    const dir = join(FIXTURES, 'tracefs', 'linux-6.18.44-x86_64');
    const file = (n: string): string => readFileSync(join(dir, `${n}.format`), 'utf8');
    expect(K.HEADER_PAGE_FORMAT).toBe(file('header_page'));
    expect(K.HEADER_EVENT_FORMAT).toBe(file('header_event'));
    expect(K.SCHED_SWITCH_FORMAT).toBe(file('sched_switch'));
    expect(K.SCHED_WAKING_FORMAT).toBe(file('sched_waking'));
    expect(K.SCHED_MIGRATE_TASK_FORMAT).toBe(file('sched_migrate_task'));
    expect(K.KVM_EXIT_FORMAT).toBe(file('kvm_exit'));
    expect(K.KVM_ENTRY_FORMAT).toBe(file('kvm_entry'));
  });

  it('our reader builds from it the model its script-pidtid text gives (switches, states, wakeups, migrations, kvm exits, tgids)', async () => {
    const bytes = synthPerfData(OPTIONS);
    const bin = await parseTrace(bytesSource(bytes), { random: memorySource(bytes) });
    const text = await parseTrace(textSource(synthText({ ...OPTIONS, format: 'script-pidtid' })));
    expect(bin.formatDetail).toBe('perf.data');
    expect(bin.warnings).toEqual([]);
    expect(text.skippedLines).toBe(0);
    expect(bin.switches.length).toBeGreaterThan(500);
    expect(bin.kvmExits.length).toBeGreaterThan(100);
    expect(bin.migrations.length).toBeGreaterThan(0);
    expect(new Set(Array.from(bin.switches.prevState)).size).toBeGreaterThanOrEqual(3);
    expect(view(bin)).toEqual(view(text));
    expect(bin.declaredCpuCount).toBe(OPTIONS.cpus);
    // The file's times are exact ns: the text's are the same truncated to µs.
    expect(Array.from(bin.switches.time).some((t) => t % 1000 !== 0)).toBe(true);
  });

  // No normalisation: perf prints the file as the same bytes synth writes, line for line (its stderr only notes
  // that `trace` is no field of the hardware / software event types, which the file does not have).
  it.each([
    ['script-pidtid', ['script', '-F', 'comm,pid,tid,cpu,time,event,trace']],
    ['script', ['script']],
    ['timehist', ['sched', 'timehist']],
  ] as const)('--format %s: perf %j prints the file as those very lines', (format, args) => {
    const printed = perfPrints(OPTIONS, args);
    expect(printed.length).toBeGreaterThan(700);
    expect(printed).toEqual(synthText({ ...OPTIONS, format }).split('\n'));
    if (format === 'timehist') return;
    const text = printed.join('\n');
    expect(text).toMatch(/kvm:kvm_exit: vcpu \d+ reason PAUSE_INSTRUCTION rip 0x/);
    expect(text).toMatch(/sched:sched_migrate_task: comm=\S/);
    expect(text).toMatch(/prev_state=R\+ ==>/);
  });

  it('--format map: perf sched map prints the file as those very lines, on a host of this machine’s CPU count', () => {
    // perf 6.1 sizes the map's columns by the CPUs of the machine it runs on (sysconf), not by the file.
    const options: SynthOptions = { ...OPTIONS, cpus: cpus().length, vms: 1, vcpus: 2, kvm: false };
    const printed = perfPrints(options, ['sched', 'map']);
    expect(printed.length).toBeGreaterThan(100);
    expect(printed).toEqual(synthText({ ...options, format: 'map' }).split('\n'));
  });
});

/** The lines perf prints of synth's perf.data of `options`; fails, saying so, when perf is not installed. */
function perfPrints(options: SynthOptions, args: readonly string[]): string[] {
  const perf = spawnSync('perf', ['--version'], { encoding: 'utf8' });
  if (perf.error !== undefined || perf.status !== 0)
    throw new Error(
      `perf is not installed (${perf.error?.message ?? perf.stderr}): this test needs perf to read synth’s perf.data (Debian: apt-get install linux-perf; .ci/run installs it)`,
    );
  const path = join(mkdtempSync(join(tmpdir(), 'schedmap-synth-perfdata-')), 'synth.perf.data');
  writeFileSync(path, synthPerfData(options));
  const r = spawnSync('perf', [...args, '-i', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n');
}
