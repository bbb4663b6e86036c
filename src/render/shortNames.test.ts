import { describe, expect, it } from 'vitest';
import { fixturePath, fixtureText } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { groupSlicesByCpu } from '../model/cpuSlices';
import { assembleRuns, type Run } from '../model/runs';
import { perfShortName, perfShortNames } from './shortNames';

async function load(file: string): Promise<Run> {
  const runs = assembleRuns(await loadInputs([fixturePath(file)]));
  expect(runs).toHaveLength(1);
  return runs[0];
}

/** tid -> short name as the real `perf sched map` announced it (`XX => comm:tid`, first announcement). */
function announced(mapText: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of mapText.matchAll(/ secs ([A-Z][0-9]) => .*:(\d+)$/gm)) {
    const tid = Number(m[2]);
    if (!out.has(tid)) out.set(tid, m[1]);
  }
  return out;
}

function namesByTid(run: Run): Map<number, string> {
  const names = perfShortNames(run.model.tasks, groupSlicesByCpu(run.model));
  const out = new Map<number, string>();
  names.forEach((n, t) => {
    if (n !== '' && n !== '.') out.set(run.model.tasks.tid[t], n);
  });
  return out;
}

describe('perfShortNames', () => {
  it('runs A0..Z0, A1.. and wraps after Z9', () => {
    expect([0, 1, 25, 26, 259, 260, 261].map(perfShortName)).toEqual(['A0', 'B0', 'Z0', 'A1', 'Z9', 'A0', 'B0']);
  });

  for (const rec of ['qemu-tcg-2vm-x2vcpu', 'synth-4vm-x2vcpu-spin']) {
    it(`gives every thread of ${rec} the name perf sched map announced, from the map and from perf script`, async () => {
      const truth = announced(fixtureText(`${rec}.map.txt`));
      expect(truth.size).toBeGreaterThan(8);
      const fromMap = namesByTid(await load(`${rec}.map.txt`));
      expect(fromMap).toEqual(truth);
      // The same recording as perf script: the names come from the switches alone.
      const script = rec.startsWith('qemu') ? `${rec}.script-ns.txt` : `${rec}.script-pidtid.txt`;
      const fromScript = namesByTid(await load(script));
      for (const [tid, name] of truth) expect([tid, fromScript.get(tid)]).toEqual([tid, name]);
    });
  }

  it('names the idle task "." and leaves threads never switched in unnamed', async () => {
    const run = await load('qemu-tcg-2vm-x2vcpu.script-ns.txt');
    const slices = groupSlicesByCpu(run.model);
    const names = perfShortNames(run.model.tasks, slices);
    const idle = run.model.tasks.comms.findIndex((c) => c.some((x) => x.startsWith('swapper')));
    expect(names[idle]).toBe('.');
    const o = slices.taskOffset;
    const never = names.map((_, t) => t).filter((t) => o[t + 1] === o[t]);
    expect(never.map((t) => names[t])).toEqual(never.map(() => ''));
  });
});
