import { describe, expect, it } from 'vitest';
import { loadInputs } from '../cli/loadFiles';
import { modelHead } from '../model/drawnRun';
import { assembleRuns, type Run } from '../model/runs';
import { vcpuTracks } from '../model/vcpuTracks';
import { fixturePath } from '../../test/fixtures';
import { vcpuLaneStates } from './laneStates';
import { packCss, runColors } from './colors';
import { stateOfValue, VALUE_OFFSET, V_OFF, V_RUNNABLE, V_SLEEPING, V_UNKNOWN, V_WOKEN } from './values';

async function runOf(name: string): Promise<Run> {
  return assembleRuns(await loadInputs([fixturePath(name)]))[0];
}

/** The off-CPU states the vCPU lanes of a run actually hold. */
function statesDrawn(run: Run): Set<string> {
  const tasks = run.vms.flatMap((vm) => vm.vcpus.map((v) => v.task)).filter((t) => t >= 0);
  const out = new Set<string>();
  for (const tr of vcpuTracks(run.model, tasks)) for (const v of tr.value) if (v < 0) out.add(stateOfValue(v));
  return out;
}

describe('vCPU lane states in the legend', () => {
  it('a real perf script with prev_state and wakeups: preempted, woken and sleeping, each drawn', async () => {
    const run = await runOf('qemu-tcg-2vm-x2vcpu.script-pidtid.txt');
    const entries = vcpuLaneStates(modelHead(run.model));
    expect(entries.map((e) => e.state)).toEqual(['runnable', 'woken', 'sleeping', 'unknown']);
    const drawn = statesDrawn(run);
    // Everything the lanes draw is in the legend, and the legend names nothing they could not draw.
    for (const s of drawn) expect(entries.map((e) => e.state)).toContain(s);
    expect(drawn.has('runnable') && drawn.has('woken') && drawn.has('sleeping')).toBe(true);
  });

  it('a real perf sched map (no prev_state, no wakeups): only "not running"', async () => {
    const run = await runOf('qemu-tcg-2vm-x2vcpu.map.txt');
    const entries = vcpuLaneStates(modelHead(run.model));
    expect(entries.map((e) => e.state)).toEqual(['off', 'unknown']);
    for (const s of statesDrawn(run)) expect(entries.map((e) => e.state)).toContain(s);
  });

  it('each entry has the colour the map paints its state in', async () => {
    const run = await runOf('qemu-tcg-2vm-x2vcpu.script-pidtid.txt');
    const palette = runColors(run).taskPalette;
    const value = { runnable: V_RUNNABLE, woken: V_WOKEN, sleeping: V_SLEEPING, off: V_OFF, unknown: V_UNKNOWN };
    for (const e of [...vcpuLaneStates(modelHead(run.model)), ...vcpuLaneStates({ hasStates: false, wakeupCount: 0 })])
      expect(packCss(e.color)).toBe(palette[value[e.state] + VALUE_OFFSET]);
  });
});
