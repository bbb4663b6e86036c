// perf.data against `perf script --ns -F comm,pid,tid,cpu,time,event,trace` of
// the same file: the model read from the binary equals the one the perf script
// parser builds from the text (test/fixtures/TRACES.md says how each file was
// made: perf 6.1 on this project's Linux 6.18 host, vmsim VMs running).

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtureBytes, readingWarnings } from '../../../test/fixtures';
import type { RecordingHost, TraceModel } from '../../model/types';
import { discoverVms } from '../../model/vms';
import { modelView } from '../../testing/modelView';
import { bytesSource, parseTrace } from '../parseInput';
import { memorySource } from '../source';

const FIX = 'perf-vmsim-2vm-x2vcpu';
const script = (v: string): Promise<TraceModel> => parseTrace(bytesSource(fixtureBytes(`${FIX}.${v}.script-ns.txt.gz`)));
/** As the Worker and the CLI read it: the stream for the sniff, the same bytes by ranges. */
const perfData = (bytes: Uint8Array, chunk?: number): Promise<TraceModel> =>
  parseTrace(bytesSource(bytes, chunk), { random: memorySource(bytes) });

const tgids = (m: TraceModel): Map<number, number> => {
  const out = new Map<number, number>();
  for (let i = 0; i < m.tasks.length; i++) if (m.tasks.tgid[i] > 0) out.set(m.tasks.tid[i], m.tasks.tgid[i]);
  return out;
};

const errorOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return 'no error';
};

describe('perf.data equals perf script of the same file', () => {
  it.each([
    ['sched', 'perf.data', 733],
    ['z', 'perf.data (zstd)', 993],
    ['pipe', 'perf.data (pipe mode)', 354],
    ['callchain', 'perf.data', 123],
  ])('%s (%s): switches, wakeups, migrations, states, comms, tgids', async (v, detail, switches) => {
    const bytes = fixtureBytes(`${FIX}.${v}.perf.data`);
    const m = await perfData(bytes);
    const s = await script(v);
    expect(m.formatDetail).toBe(detail);
    expect(m.switches.length).toBe(switches);
    expect(modelView(m)).toEqual(modelView(s));
    expect(m.ignoredEvents).toEqual(s.ignoredEvents);
    expect(readingWarnings(m)).toEqual([]);
    // The switch-ins the recording lacks are the same in both (records vs lines: counts, not line numbers).
    const counts = (x: TraceModel) => x.warningSummary.map((e) => [e.kind, e.count]);
    expect(counts(m)).toEqual(counts(s));
    // Every tgid the text shows, and more (FORK / COMM records name threads the text never prefixes).
    const text = tgids(s);
    const bin = tgids(m);
    for (const [tid, tgid] of text) expect([tid, bin.get(tid)]).toEqual([tid, tgid]);
    expect(bin.size).toBeGreaterThanOrEqual(text.size);
    expect(m.declaredCpuCount).toBe(2);
  });

  it('the shared QEMU recording (2 VMs, gzipped): the model of its text, and the VMs of its truth', async () => {
    const m = await parseTrace(bytesSource(fixtureBytes('qemu-tcg-2vm-x2vcpu.perf.data.gz')));
    const s = await parseTrace(bytesSource(fixtureBytes('qemu-tcg-2vm-x2vcpu.script-ns.txt.gz')));
    expect(m.switches.length).toBeGreaterThan(5000);
    expect(modelView(m)).toEqual(modelView(s));
    const truth = JSON.parse(new TextDecoder().decode(fixtureBytes('qemu-tcg-2vm-x2vcpu.truth.json'))) as {
      vms: { pid: number; vcpus: { vcpu: number; tid: number }[] }[];
    };
    const vms = discoverVms(m).vms.map((v) => [v.tgid, v.vcpus.map((c) => m.tasks.tid[c.task])]);
    expect(vms).toEqual(truth.vms.map((v) => [v.pid, v.vcpus.map((c) => c.tid)]));
  });

  it('the same model whatever the chunking of the stream, and gzipped', async () => {
    const pipe = fixtureBytes(`${FIX}.pipe.perf.data`);
    const whole = modelView(await perfData(pipe));
    expect(modelView(await perfData(pipe, 777))).toEqual(whole);
    expect(modelView(await parseTrace(bytesSource(gzipSync(pipe))))).toEqual(whole);
    const file = fixtureBytes(`${FIX}.z.perf.data`);
    expect(modelView(await parseTrace(bytesSource(gzipSync(file))))).toEqual(modelView(await perfData(file)));
  });
});

/** The host facts of `perf report --header-only -i FILE` (saved beside each fixture as NAME.header.txt). */
function headerFacts(name: string): RecordingHost {
  const text = new TextDecoder().decode(fixtureBytes(name));
  const field = (key: string): string | null => {
    const m = new RegExp(`^# ${key} : (.*)$`, 'm').exec(text);
    return m === null ? null : m[1].trimEnd(); // perf prints a space after every cmdline argument
  };
  const count = (key: string): number | null => (field(key) === null ? null : Number(field(key)));
  return {
    hostname: field('hostname'),
    osRelease: field('os release'),
    arch: field('arch'),
    cpusOnline: count('nrcpus online'),
    cpusAvailable: count('nrcpus avail'),
    cmdline: field('cmdline'),
    recorder: field('perf version') === null ? null : `perf ${field('perf version')}`,
  };
}

describe('host facts: what perf report --header-only prints of the same file', () => {
  it.each(['sched', 'z', 'pipe', 'callchain'])('%s', async (v) => {
    const m = await perfData(fixtureBytes(`${FIX}.${v}.perf.data`));
    const want = headerFacts(`${FIX}.${v}.header.txt`);
    expect(want.hostname).not.toBeNull();
    expect(want.cmdline).toMatch(/^\/usr\/bin\/perf (sched )?record /);
    expect(m.recordedOn).toEqual(want);
  });

  it('the shared QEMU recording, gzipped (read forward from memory)', async () => {
    const m = await parseTrace(bytesSource(fixtureBytes('qemu-tcg-2vm-x2vcpu.perf.data.gz')));
    expect(m.recordedOn).toEqual(headerFacts('qemu-tcg-2vm-x2vcpu.perf.header.txt'));
  });

  it('text carries none: the perf script of the same recording has recordedOn null', async () => {
    expect((await script('sched')).recordedOn).toBeNull();
  });
});

describe('perf.data that is damaged or holds no scheduler trace', () => {
  const file = new Uint8Array(fixtureBytes(`${FIX}.sched.perf.data`));

  it('cut short inside its data: what was read is kept, and the cut is named with its offset', async () => {
    const cut = new Uint8Array(fixtureBytes(`${FIX}.pipe.perf.data`)).slice(0, 120_000);
    const m = await perfData(cut);
    expect(m.switches.length).toBeGreaterThan(50);
    expect(m.warnings.map((w) => w.message).join('\n')).toMatch(
      /the file is cut short: the record at byte \d+ is incomplete \(\d+ bytes of it are in the file\)/,
    );
  });

  it('a file mode perf.data cut short loses its event formats: the message says so', async () => {
    const msg = await errorOf(perfData(file.slice(0, 200_000)));
    expect(msg).toMatch(/^This perf\.data cannot be read: it has no sched:sched_switch samples/);
    expect(msg).toMatch(/its data section should end at byte \d+ but the file has 200000 bytes/);
  });

  it('an unfinished recording (data size 0 in the header, no features) is read to the end, and said', async () => {
    const b = file.slice();
    new DataView(b.buffer).setBigUint64(48, 0n, true);
    const msg = await errorOf(perfData(b));
    expect(msg).toMatch(/perf did not finish writing this file/);
  });

  it('a big-endian file is refused with what to do', async () => {
    const b = file.slice();
    b.set(new TextEncoder().encode('2ELIFREP'), 0);
    expect(await errorOf(perfData(b))).toMatch(/big-endian machine \(s390, ppc64\).*perf script --ns/);
  });

  it('a damaged record length stops the walk at that offset, keeping what came before', async () => {
    const pipe = new Uint8Array(fixtureBytes(`${FIX}.pipe.perf.data`)).slice();
    const whole = await perfData(pipe);
    // Walk the records to one past the middle and zero its size.
    const v = new DataView(pipe.buffer);
    let p = 16;
    while (p < pipe.length / 2) {
      const size = v.getUint16(p + 6, true);
      p += v.getUint32(p, true) === 66 ? size + Math.ceil(v.getUint32(p + 8, true) / 8) * 8 : size;
    }
    v.setUint16(p + 6, 0, true);
    const m = await perfData(pipe);
    expect(m.switches.length).toBeGreaterThan(0);
    expect(m.switches.length).toBeLessThan(whole.switches.length);
    expect(m.warnings.map((w) => w.message)).toContain(
      `the record at byte ${p} says it is 0 bytes long: the data is damaged from there on (everything before it is kept)`,
    );
  });
});
