// The generator writes real perf text: every format it writes parses with no
// skipped line, and all formats of one seed describe the same schedule.

import { describe, expect, it } from 'vitest';
import { analyzeRun } from '../analysis/analyze';
import { assembleRuns } from '../model/runs';
import type { TraceModel } from '../model/types';
import { groupVms } from '../model/vms';
import { parseTrace, textSource } from '../parse/parseInput';
import { buildHost } from './hostModel';
import { generateTrace, type SynthOptions } from './generate';
import { SYNTH_FORMATS } from './render';
import { SYNTH_POLICIES } from './schedule';

function gen(o: Partial<SynthOptions>): { text: string; switches: number } {
  const parts: string[] = [];
  const switches = generateTrace(
    { cpus: 8, vms: 3, vcpus: 4, seconds: 0.2, policy: 'ple-on', format: 'map', seed: 3, ...o },
    (t) => parts.push(t),
  );
  return { text: parts.join(''), switches };
}

describe('schedmap synth', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(gen({ seed: 5 }).text).toBe(gen({ seed: 5 }).text);
    expect(gen({ seed: 5 }).text).not.toBe(gen({ seed: 6 }).text);
  });

  it.each(SYNTH_POLICIES)('policy %s: every format parses without skips to the same switches', async (policy) => {
    const models: TraceModel[] = [];
    for (const format of SYNTH_FORMATS) {
      const { text, switches } = gen({ policy, format });
      const m = await parseTrace(textSource(text));
      expect(m.skippedLines, `${format}: ${m.warnings[0]?.message}`).toBe(0);
      expect(m.switches.length, format).toBe(switches);
      models.push(m);
    }
    // Compared as absolute times: formats start at different first events.
    const abs = (m: TraceModel): number[] =>
      Array.from(m.switches.time, (t) => m.origin.sec * 1e9 + m.origin.ns + t);
    const ref = models[0];
    for (const m of models) {
      expect(abs(m)).toEqual(abs(ref));
      expect(Array.from(m.switches.cpu)).toEqual(Array.from(ref.switches.cpu));
    }
  });

  it('VMs grouped by tgid from script -F pid,tid equal the generated VMs', async () => {
    const host = buildHost(8, 3, 4);
    const { text } = gen({ format: 'script-pidtid' });
    const vms = groupVms(await parseTrace(textSource(text)));
    const expected = host.vmVcpus.map((v) => v.map((t) => host.tasks[t].tid).join(','));
    expect(vms.map((vm) => vm.vcpus.map((v) => v.tid).join(','))).toEqual(expected);
    expect(vms.map((vm) => vm.grouping)).toEqual(['tgid', 'tgid', 'tgid']);
  });

  it('policies shape slices: PLE exits end ple-on slices long before ple-off and gang ones end', async () => {
    const medianSliceUs = async (policy: SynthOptions['policy']): Promise<number> => {
      const m = await parseTrace(textSource(gen({ policy, format: 'script', seconds: 0.5 }).text));
      const lens: number[] = [];
      for (let i = 0; i < m.switches.length; i++) {
        if (m.tasks.comms[m.switches.next[i]].some((c) => c.includes('/KVM')) && m.slices.endReason[i] === 0)
          lens.push((m.slices.end[i] - m.switches.time[i]) / 1000);
      }
      lens.sort((a, b) => a - b);
      return lens[Math.floor(lens.length / 2)];
    };
    const on = await medianSliceUs('ple-on');
    expect(on).toBeLessThan(400);
    expect(await medianSliceUs('ple-off')).toBeGreaterThan(2 * on);
    // Gang slots are cut by halts and host noise on this small host: 1.9 x ple-on's median at seed 3.
    expect(await medianSliceUs('gang')).toBeGreaterThan(1.5 * on);
  });

  it.each(SYNTH_POLICIES)('policy %s: events are written in time order, as perf prints them', (policy) => {
    const { text } = gen({ policy, format: 'script', seconds: 0.3 });
    let last = -1;
    let lines = 0;
    for (const m of text.matchAll(/ (\d+\.\d+): /g)) {
      const t = Number(m[1]);
      expect(t, `line ${lines + 1}`).toBeGreaterThanOrEqual(last);
      last = t;
      lines++;
    }
    expect(lines).toBeGreaterThan(300);
  });

  it.each(['ple-off', 'ple-on', 'throttled-yield'] as const)(
    'policy %s: vCPUs halt and are woken, so run delays are measured',
    async (policy) => {
      const m = await parseTrace(textSource(gen({ policy, format: 'script', seconds: 0.5 }).text));
      const [run] = assembleRuns([{ name: policy, kind: 'trace', model: m }]);
      for (const vm of analyzeRun(run).vms) {
        expect(vm.runDelayP50Us, vm.name).toBeGreaterThan(0);
        expect(vm.runDelayP99Us!, vm.name).toBeGreaterThanOrEqual(vm.runDelayP50Us!);
      }
    },
  );
});
