// trace.dat against `trace-cmd report` of the same file: the model read from
// the binary equals the one the ftrace text parser builds from the report
// (test/fixtures/TRACES.md says how each file was made).

import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { fixtureBytes } from '../../../test/fixtures';
import type { TraceModel } from '../../model/types';
import { modelView as view } from '../../testing/modelView';
import { bytesSource, parseTrace } from '../parseInput';
import { memorySource } from '../source';

/** A trace.dat fixture's bytes; the large public ones are stored gzipped. */
const datBytes = (name: string): Uint8Array => {
  const b = fixtureBytes(name);
  return b[0] === 0x1f && b[1] === 0x8b ? new Uint8Array(gunzipSync(b)) : b;
};
const report = (name: string): Promise<TraceModel> => parseTrace(bytesSource(fixtureBytes(name)));
const dat = (bytes: Uint8Array): Promise<TraceModel> => parseTrace(bytesSource(bytes), { random: memorySource(bytes) });

describe('trace.dat equals trace-cmd report of the same file', () => {
  it.each(['v6', 'v7-zstd', 'v7-none', 'v7-zlib'])(
    'tracecmd-vmsim-4vm-x2vcpu.%s.dat, at report -t nanoseconds',
    async (v) => {
      const m = await dat(fixtureBytes(`tracecmd-vmsim-4vm-x2vcpu.${v}.dat`));
      const r = await report('tracecmd-vmsim-4vm-x2vcpu.report-t.txt');
      expect(m.switches.length).toBe(300);
      expect(view(m, 1, true)).toEqual(view(r));
      expect(m.formatDetail).toBe(
        {
          v6: 'trace.dat v6',
          'v7-zstd': 'trace.dat v7 (zstd)',
          'v7-zlib': 'trace.dat v7 (zlib)',
          'v7-none': 'trace.dat v7',
        }[v],
      );
      expect(m.declaredCpuCount).toBe(2);
    },
  );

  it('at the microseconds plain trace-cmd report prints', async () => {
    const m = await dat(fixtureBytes('tracecmd-vmsim-4vm-x2vcpu.v6.dat'));
    const r = await report('tracecmd-vmsim-4vm-x2vcpu.report.txt');
    expect(view(m, 1000, true)).toEqual(view(r, 1000));
  });

  it('the largest fixture (zstd, ~21k switches, pipe ping-pong and VMs)', async () => {
    const m = await dat(fixtureBytes('tracecmd-pipe-4vm-x2vcpu.v7-zstd.dat'));
    const r = await report('tracecmd-pipe-4vm-x2vcpu.report-t.txt');
    expect(m.switches.length).toBe(21101);
    expect(view(m, 1, true)).toEqual(view(r));
  });

  it('a real `trace-cmd record` on an arm64 machine (QEMU virt, Debian arm64 kernel and trace-cmd)', async () => {
    const m = await dat(fixtureBytes('tracecmd-arm64-qemu-2cpu.v7-zstd.dat'));
    const r = await report('tracecmd-arm64-qemu-2cpu.report-t.txt');
    expect(m.switches.length).toBe(137);
    expect(view(m, 1, true)).toEqual(view(r));
  });

  // A public file recorded elsewhere on a 32-bit little-endian kernel (TRACES.md names each origin).
  it.each([
    ['tracecmd-public-i686-buildroot.v6.dat', 'tracecmd-public-i686-buildroot', 293, 1],
    ['tracecmd-public-i686-buildroot.v7-zstd.dat', 'tracecmd-public-i686-buildroot', 293, 1],
  ])('a public 32-bit recording: %s', async (file, name, switches, cpus) => {
    const m = await dat(datBytes(file));
    expect(m.switches.length).toBe(switches);
    expect(m.declaredCpuCount).toBe(cpus);
    expect(view(m, 1, true)).toEqual(view(await report(`${name}.report-t.txt`)));
    expect(view(m, 1000, true)).toEqual(view(await report(`${name}.report.txt`), 1000));
  });

  it('pages with the missed-events flag are lost events with their counts, as report prints them', async () => {
    const m = await dat(fixtureBytes('tracecmd-lost-4vm-x2vcpu.v6.dat'));
    const r = await report('tracecmd-lost-4vm-x2vcpu.report-t.txt');
    expect(m.lost.map((l) => [l.cpu, l.count])).toEqual([
      [1, 262],
      [0, 923],
    ]);
    expect(view(m, 1, true)).toEqual(view(r));
    expect(m.warnings.map((w) => w.message)).toContain(
      "262 events lost on CPU 1 (ring buffer overrun, the page's missed-events flag): that CPU's state is uncertain until its next switch",
    );
  });
});

describe('trace.dat that is damaged or holds no scheduler trace', () => {
  // A copy as a plain Uint8Array: a Buffer's slice() would share the bytes the tests patch.
  const v6 = new Uint8Array(fixtureBytes('tracecmd-vmsim-4vm-x2vcpu.v6.dat'));
  const errorOf = async (bytes: Uint8Array): Promise<string> => {
    try {
      await dat(bytes);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    return 'no error';
  };

  it("cut short in the last CPU's data: the events before the cut are kept, and the cut is said", async () => {
    const whole = await dat(v6);
    const cut = await dat(v6.slice(0, v6.length - 3 * 4096 - 100));
    expect(cut.switches.length).toBeGreaterThan(100);
    expect(cut.switches.length).toBeLessThan(whole.switches.length);
    expect(
      cut.warnings.some((w) =>
        /file is cut short: CPU 1's data should end at byte \d+ but the file has \d+ bytes/.test(w.message),
      ),
    ).toBe(true);
    // What was read is what the whole file has up to there.
    const times = new Set(Array.from(whole.switches.time, (t) => t + whole.origin.ns));
    for (const t of cut.switches.time) expect(times.has(t + cut.origin.ns)).toBe(true);
  });

  it("a damaged zstd chunk: that CPU's events before it and the other CPUs' are kept, and the damage is said", async () => {
    const whole = await dat(fixtureBytes('tracecmd-pipe-4vm-x2vcpu.v7-zstd.dat'));
    const b = new Uint8Array(fixtureBytes('tracecmd-pipe-4vm-x2vcpu.v7-zstd.dat'));
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    // CPU 0's data (its offset from `trace-cmd dump --flyrecord`): a chunk count, then (csize, usize, frame) each.
    let at = 32768 + 4;
    at += 8 + v.getUint32(at, true); // keep the first chunk
    const csize = v.getUint32(at, true);
    b.fill(0x55, at + 8 + (csize >> 2), at + 8 + (csize >> 1)); // damage the second one's frame
    const m = await dat(b);
    expect(m.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^CPU 0's data: zstd data is corrupt|^CPU 0's data: decompressed to/),
    );
    expect(m.warnings.some((w) => w.message.endsWith("the rest of CPU 0's data is skipped"))).toBe(true);
    const onCpu = (x: TraceModel, cpu: number): number => x.switches.cpu.filter((c) => c === cpu).length;
    expect(onCpu(m, 1)).toBe(onCpu(whole, 1));
    expect(onCpu(m, 0)).toBeGreaterThan(0);
    expect(onCpu(m, 0)).toBeLessThan(onCpu(whole, 0));
    const times = new Set(Array.from(whole.switches.time, (t) => t + whole.origin.ns));
    for (const t of m.switches.time) expect(times.has(t + m.origin.ns)).toBe(true);
  });

  it('cut short in its header, or a v7 file without its trailing options: a clear message', async () => {
    expect(await errorOf(v6.slice(0, 3000))).toMatch(
      /^This trace\.dat cannot be read: the file is cut short inside its header/,
    );
    const v7 = fixtureBytes('tracecmd-vmsim-4vm-x2vcpu.v7-zstd.dat');
    expect(await errorOf(v7.slice(0, v7.length - 2000))).toMatch(/^This trace\.dat cannot be read: .*cut short/);
  });

  it('an unknown version names the versions read and what to run', async () => {
    const b = v6.slice();
    b[10] = 0x39; // "9"
    expect(await errorOf(b)).toMatch(
      /trace\.dat version "9" is not one SchedMap reads \(it reads versions 6 and 7.*trace-cmd convert --file-version 7/,
    );
  });

  it('no sched_switch events: the message says what the file holds and how to record', async () => {
    // The sched_switch format renamed (same length): its records become another event.
    const b = v6.slice();
    const name = new TextEncoder().encode('name: sched_switch\n');
    const at = indexOf(b, name);
    expect(at).toBeGreaterThan(0);
    b.set(new TextEncoder().encode('name: sched_swatch\n'), at);
    expect(await errorOf(b)).toMatch(
      /^This trace\.dat \(trace\.dat v6\) has no sched_switch events \(it holds 364 events: 300 sched_swatch, 63 wakeups, 1 migrations; event "sched_swatch" is not one SchedMap reads, but one character off sched_switch: a damaged line\?\)\. Record with `trace-cmd record -e sched_switch/,
    );
  });
});

describe("trace.dat's host facts: its UNAME and VERSION options as trace-cmd dump --options prints them", () => {
  it.each([
    ['tracecmd-vmsim-4vm-x2vcpu.v6', 'tracecmd-vmsim-4vm-x2vcpu.v6.dat'],
    ['tracecmd-arm64-qemu-2cpu.v7-zstd', 'tracecmd-arm64-qemu-2cpu.v7-zstd.dat'],
    ['tracecmd-public-i686-buildroot.v7-zstd', 'tracecmd-public-i686-buildroot.v7-zstd.dat'],
  ])('%s', async (name, file) => {
    const dump = new TextDecoder().decode(fixtureBytes(`${name}.options.txt`));
    const uname = /\[Option UNAME, \d+ bytes\]\n(.*)\n/.exec(dump)![1].split(' ');
    const version = /\[Option VERSION, \d+ bytes\]\n(\S+)/.exec(dump)![1];
    expect(uname).toHaveLength(4);
    const m = await dat(datBytes(file));
    expect(m.recordedOn).toEqual({
      hostname: uname[1],
      osRelease: uname[2],
      arch: uname[3],
      cpusOnline: null,
      cpusAvailable: null,
      cmdline: null,
      recorder: `trace-cmd ${version}`,
    });
  });

  it('a v6 file that came through trace-cmd 2.9 (the public i686 one, gzipped) reads the same', async () => {
    const m = await dat(datBytes('tracecmd-public-i686-buildroot.v6.dat.gz'));
    expect(m.recordedOn?.hostname).toBe('buildroot');
    expect(m.recordedOn?.osRelease).toBe('4.13.9');
  });
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
