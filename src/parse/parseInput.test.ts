import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureText } from '../../test/fixtures';
import { bytesSource, parseInput, parseTrace, textSource, UnrecognizedInputError } from './parseInput';

const MAP = [
  '  *A0        1420.590990 secs A0 => migration/0:18',
  '  *B0        1420.591014 secs B0 => CPU 0/TCG:20746',
  '   B0 *C0    1420.591095 secs C0 => qemu-system-x86:20733',
  '  *.   C0    1420.591102 secs .  => swapper:0',
  '',
].join('\n');

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UnrecognizedInputError);
    return (e as Error).message;
  }
  throw new Error('expected the input to be refused');
}

describe('parseInput: input handling before any format', () => {
  it('reads gzip by its magic bytes, whatever the name', async () => {
    const m = await parseTrace(bytesSource(gzipSync(Buffer.from(MAP)), 7));
    expect(m.format).toBe('perf-sched-map');
    expect(m.switches.length).toBe(4);
  });

  it('gives the same model for a real gzipped fixture in any chunking', async () => {
    const gz = fixtureBytes('qemu-tcg-2vm-x2vcpu.script.txt');
    const a = await parseTrace(bytesSource(gz, 1 << 20));
    const b = await parseTrace(bytesSource(gz, 997));
    expect(a.switches.length).toBe(6899);
    expect(Array.from(b.switches.time)).toEqual(Array.from(a.switches.time));
    expect(Array.from(b.switches.next)).toEqual(Array.from(a.switches.next));
  });

  it('keeps what a truncated gzip held, and says so', async () => {
    const gz = gzipSync(Buffer.from(fixtureText('synth-4vm-x2vcpu-spin.map.txt')));
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    const m = await parseTrace(bytesSource(cut, 4096));
    expect(m.switches.length).toBeGreaterThan(100);
    expect(m.warnings.some((w) => /gzip data ended early/.test(w.message))).toBe(true);
  });

  it('handles CRLF, lone CR, a BOM, ANSI colours and UTF-16', async () => {
    const crlf = '\ufeff' + MAP.replace(/\n/g, '\r\n');
    expect((await parseTrace(textSource(crlf, 5))).switches.length).toBe(4);
    const cr = MAP.replace(/\n/g, '\r');
    expect((await parseTrace(textSource(cr, 3))).switches.length).toBe(4);
    const ansi = MAP.replace(/\*A0 /, '*\x1b[34mA0 \x1b[m');
    expect((await parseTrace(textSource(ansi))).switches.length).toBe(4);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MAP, 'utf16le')]);
    expect((await parseTrace(bytesSource(utf16, 11))).switches.length).toBe(4);
  });

  it('works on a trace cut short mid-line and reports it', async () => {
    const text = fixtureText('synth-4vm-x2vcpu-spin.script.txt');
    const cut = text.slice(0, Math.floor(text.length / 2));
    const m = await parseTrace(textSource(cut));
    expect(m.switches.length).toBeGreaterThan(100);
    expect(m.warnings.some((w) => /no newline/.test(w.message))).toBe(true);
  });
});

describe('parseInput: inputs that are no trace get a clear message', () => {
  it('the first 4 KiB of a perf.data: read as one, the cut named, and what to record', async () => {
    const msg = await errorOf(parseTrace(bytesSource(fixtureBytes('bad-perf-data-head.perf.data'))));
    expect(msg).toMatch(/^This perf\.data cannot be read: it has no sched:sched_switch samples/);
    expect(msg).toMatch(/the file is cut short: its data section should end at byte 2075672 but the file has 4096 bytes/);
    expect(msg).toMatch(/perf sched record -a -- sleep 5/);
  });

  it('a gzipped perf.data is read as one too', async () => {
    const msg = await errorOf(parseTrace(bytesSource(gzipSync(fixtureBytes('bad-perf-data-head.perf.data')))));
    expect(msg).toMatch(/^This perf\.data cannot be read: .*cut short/);
  });

  it('a PNG, a zstd file and random binary data', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await errorOf(parseTrace(bytesSource(png)))).toMatch(/PNG image/);
    const zst = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4]);
    expect(await errorOf(parseTrace(bytesSource(zst)))).toMatch(/zstd/);
    const noise = new Uint8Array(2048).map((_, i) => (i * 7919) % 256);
    expect(await errorOf(parseTrace(bytesSource(noise)))).toMatch(/binary data/);
  });

  it('random text, an empty file, JSON and HTML', async () => {
    expect(await errorOf(parseTrace(textSource('hello world\nthis is not a trace\n')))).toMatch(
      /No scheduler trace found.*first line: "hello world"/,
    );
    expect(await errorOf(parseTrace(textSource('')))).toMatch(/empty/);
    expect(await errorOf(parseTrace(textSource('{"traceEvents": []}\n')))).toMatch(/JSON/);
    expect(await errorOf(parseTrace(textSource('<!doctype html><html></html>\n')))).toMatch(/HTML page/);
  });

  it('ftrace latency-format is read with times from the buffer start; context-info=0 explains what to change', async () => {
    const latency =
      '  bash-13598     1d..2. 8942us+: sched_switch: prev_comm=bash prev_pid=13598 prev_prio=120 prev_state=S ==> next_comm=x next_pid=1 next_prio=120\n';
    const m = await parseTrace(textSource(latency));
    expect(m.formatDetail).toMatch(/latency format \(times from the start of the trace buffer\)/);
    expect(m.switches.length).toBe(1);
    const noContext =
      'sched_switch: prev_comm=bash prev_pid=13598 prev_prio=120 prev_state=S ==> next_comm=x next_pid=1 next_prio=120\n';
    expect(await errorOf(parseTrace(textSource(noContext)))).toMatch(/context-info/);
  });

  it('a trace text without any sched_switch says so', async () => {
    const only =
      '            perf 20840 [000]  1420.590979: sched:sched_stat_runtime: comm=perf pid=20840 runtime=50535 [ns]\n';
    expect(await errorOf(parseTrace(textSource(only)))).toMatch(/no sched_switch events/);
  });

  it('a companion file is told apart from a trace', async () => {
    const r = await parseInput(textSource('tid,vm,vcpu\n7427,web,0\n7429,web,1\n'));
    expect(r.kind).toBe('companion');
    expect(await errorOf(parseTrace(textSource('tid,vm,vcpu\n7427,web,0\n')))).toMatch(/companion file/);
  });
});
