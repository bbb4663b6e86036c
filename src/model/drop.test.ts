// The drop/join rule on real recordings: companions join the open runs, a
// timehist joins the map it matches, traces replace or add, one pane is
// replaced or closed, and the last close leaves nothing for companions.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { fixturePath } from '../../test/fixtures';
import { addRuns, closeRun, dropOnApp, NOTHING_OPEN, onlyCompanions, replaceRun } from './drop';
import type { DroppedInput } from './runs';

let map: DroppedInput;
let timehist: DroppedInput;
let script: DroppedInput;
let other: DroppedInput;
let topology: DroppedInput;
const csv = (name: string): DroppedInput => ({ name, kind: 'vm-csv', rows: [] });

beforeAll(async () => {
  [map, timehist, script, other, topology] = await loadInputs(
    [
      'qemu-tcg-2vm-x2vcpu.map.txt.gz',
      'qemu-tcg-2vm-x2vcpu.timehist.txt.gz',
      'qemu-tcg-2vm-x2vcpu.script.txt.gz',
      'synth-4vm-x2vcpu-spin.script-pidtid.txt',
      'host-2cpu.lscpu',
    ].map(fixturePath),
  );
});

describe('the drop/join rule', () => {
  it('opens a drop on an empty app; a timehist of the same recording joins its map', () => {
    const open = dropOnApp(NOTHING_OPEN, [map, timehist]);
    expect(open.runs.map((r) => r.name)).toEqual([map.name]);
    expect(open.runs[0].companions).toContain(timehist.name);
    expect(open.inputs).toEqual([map, timehist]);
  });

  it('a companion dropped later joins every open run (re-assembled); a trace replaces them all', () => {
    const open = dropOnApp(NOTHING_OPEN, [script, other]);
    const joined = dropOnApp(open, [csv('vms.csv')]);
    expect(joined.runs.map((r) => r.name)).toEqual([script.name, other.name]);
    expect(joined.runs.every((r) => r.companions.includes('vms.csv'))).toBe(true);
    expect(joined.runs[0]).not.toBe(open.runs[0]);
    const replaced = dropOnApp(joined, [map]);
    expect(replaced.runs.map((r) => r.name)).toEqual([map.name]);
    expect(replaced.inputs).toEqual([map]);
    // Nothing dropped (every file unreadable): nothing changes.
    expect(dropOnApp(joined, [])).toBe(joined);
  });

  it('adds runs next to the open ones, with the open companions applied', () => {
    const open = dropOnApp(NOTHING_OPEN, [script, topology]);
    const added = addRuns(open, [other]);
    expect(added.runs.map((r) => r.name)).toEqual([script.name, other.name]);
    expect(added.runs[0]).toBe(open.runs[0]);
    expect(added.runs[1].topology).toEqual(open.runs[0].topology);
  });

  it('replaces one run, dropping its timehist; refuses a drop without a trace', () => {
    const open = addRuns(dropOnApp(NOTHING_OPEN, [map, timehist]), [other]);
    const r = replaceRun(open, open.runs[0], [script]);
    expect(r?.runs.map((x) => x.name)).toEqual([script.name, other.name]);
    expect(r?.runs[1]).toBe(open.runs[1]);
    expect(r?.inputs.includes(map) || r?.inputs.includes(timehist)).toBe(false);
    expect(replaceRun(open, open.runs[0], [csv('only.csv')])).toBeNull();
  });

  it('closes one run with its inputs; the last close leaves nothing', () => {
    const open = addRuns(dropOnApp(NOTHING_OPEN, [map, timehist, csv('vms.csv')]), [other]);
    const one = closeRun(open, open.runs[0]);
    expect(one.runs.map((r) => r.name)).toEqual([other.name]);
    expect(one.inputs.map((i) => i.name).sort()).toEqual([other.name, 'vms.csv'].sort());
    expect(closeRun(one, one.runs[0])).toEqual(NOTHING_OPEN);
  });

  it('tells a companion-only drop (which joins a trace being parsed) from one with a trace', () => {
    expect(onlyCompanions([csv('a.csv'), topology])).toBe(true);
    expect(onlyCompanions([csv('a.csv'), timehist])).toBe(false);
    expect(onlyCompanions([])).toBe(false);
  });
});
