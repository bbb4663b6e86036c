// One damaged timestamp (1420.x edited to 20.x, or to 9420.x) in a real
// recording: warned about with its line, kept out of the window (the duration
// is the undamaged one), and no real recording has an outlier.

import { describe, expect, it } from 'vitest';
import type { TraceModel } from '../src/model/types';
import { bytesSource, parseTrace, textSource } from '../src/parse/parseInput';
import { fixtureBytes, fixtureText, RECORDINGS } from './fixtures';

const span = (m: TraceModel): number => m.switches.time[m.switches.length - 1] - m.switches.time[0];

type Edit = 'early' | 'late';
const BOTH: Edit[] = ['early', 'late'];
// timehist: a line's switch-in may be inferred from its run time, so a late edit puts two
// switches of one line side by side, far from the rest: the switches of one line are one
// point for the neighbour rule, and go together.
const FILES: [string, Edit[]][] = [
  ['qemu-tcg-2vm-x2vcpu.script.txt', BOTH],
  ['qemu-tcg-2vm-x2vcpu.timehist.txt', BOTH],
  ['qemu-tcg-2vm-x2vcpu.map.txt', BOTH],
  ['tracecmd-qemu-2vm-x3vcpu.tracecmd.txt', BOTH],
  ['ftrace-qemu-3vm-x2vcpu.ftrace.txt', BOTH],
];

describe('timestamp outliers', () => {
  for (const [file, edits] of FILES) {
    for (const edit of edits) {
      it(`${file}: one switch's seconds edited (${edit})`, async () => {
        const text = fixtureText(file);
        const base = await parseTrace(textSource(text));
        const lines = text.split('\n');
        // A switch line in the middle of the file.
        const at = lines.findIndex(
          (l, i) =>
            i > lines.length / 2 &&
            /sched_switch| secs |^\s+\d+\.\d+ \[\d+\]\s+\S+\[\d+/.test(l) &&
            / (\d{2,})\.\d{6}/.test(l),
        );
        lines[at] = lines[at].replace(/ (\d{2,})(\.\d{6})/, (_, s: string, f: string) =>
          edit === 'early' ? ` ${s.slice(-2)}${f}` : ` 9${s.slice(1)}${f}`,
        );
        const m = await parseTrace(textSource(lines.join('\n')));
        const w = m.warnings.find((x) => /timestamp outlier/.test(x.message));
        expect(w?.line).toBe(at + 1);
        expect(w?.message).toMatch(/kept out of the window \(with it the trace would span \d+(\.\d+)? s instead of/);
        expect(span(m)).toBe(span(base));
        expect(m.skippedLines).toBe(base.skippedLines + 1);
        // timehist infers a switch-in from the run time of the line after an early edit: that one
        // stays (in the window); after a late edit, from the edited line's own: it goes with it.
        const inferredStays = file.includes('timehist') && edit === 'early';
        expect(m.switches.length).toBe(base.switches.length - (inferredStays ? 0 : 1));
      });
    }
  }

  it('an outlier that was the first event: times count from the first event kept (timehist: the same window)', async () => {
    const text = fixtureText('qemu-tcg-2vm-x2vcpu.timehist.txt');
    const base = await parseTrace(textSource(text));
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^\s+\d+\.\d{6} \[\d+\]/.test(l));
    lines[at] = lines[at].replace(/ 1420\./, '  420.');
    const m = await parseTrace(textSource(lines.join('\n')));
    expect(m.warnings.find((x) => /timestamp outlier/.test(x.message))?.line).toBe(at + 1);
    // The next line's run time puts the dropped line's switch-in back at its real time.
    expect(m.origin).toEqual(base.origin);
    expect(m.switches.time[0]).toBe(0);
    expect(span(m)).toBe(span(base));
  });

  it('no real recording has one', async () => {
    const files = [
      ...RECORDINGS.flatMap((r) => [`${r}.map.txt`, `${r}.script.txt`, `${r}.timehist.txt`]),
      'tracecmd-qemu-2vm-x3vcpu.tracecmd.txt',
      'ftrace-qemu-3vm-x2vcpu.ftrace.txt',
    ];
    for (const f of files) {
      const m = await parseTrace(textSource(fixtureText(f)));
      expect(
        m.warnings.filter((w) => /outlier/.test(w.message)),
        f,
      ).toEqual([]);
    }
    for (const f of ['tracecmd-vmsim-4vm-x2vcpu.v6.dat', 'tracecmd-lost-4vm-x2vcpu.v6.dat']) {
      const m = await parseTrace(bytesSource(fixtureBytes(f)));
      expect(
        m.warnings.filter((w) => /outlier/.test(w.message)),
        f,
      ).toEqual([]);
    }
  });
});
