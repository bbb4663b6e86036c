import { describe, expect, it } from 'vitest';
import { fixtureText, RECORDINGS } from '../../test/fixtures';
import { parseTrace, textSource } from '../parse/parseInput';
import { makeRun } from '../testing/runs';
import { summarizeRun } from './summary';
import { wholeTraceEvents, windowEvents } from './windowEvents';

const TRACES = [
  ...RECORDINGS.flatMap((rec) => [`${rec}.map.txt`, `${rec}.script.txt`, `${rec}.timehist.txt`]),
  'ftrace-qemu-3vm-x2vcpu.ftrace.txt.gz',
  'tracecmd-arm64-qemu-2cpu.report-R.txt.gz',
  // A timehist pasted with [...]: the reader infers switches there, which neither count holds.
  'paste/lkml-2024-10-04-quoted-timehist.txt',
];

describe('wholeTraceEvents: the counts of the window without a range or CPU list, from the summary', () => {
  it.each(TRACES)('%s: the same as windowEvents', async (name) => {
    const model = await parseTrace(textSource(fixtureText(name)));
    const expected = windowEvents(model);
    expect(wholeTraceEvents(summarizeRun(makeRun(model)))).toEqual(expected);
    expect(expected.switches).toBeGreaterThan(0);
    if (name.startsWith('paste/')) expect(model.inferredSwitchRows.length).toBeGreaterThan(0);
  });
});
