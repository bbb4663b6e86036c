// The event stream into a model directly (TraceModelSink) gives the model
// the parser builds from synth's perf script -F pid,tid text of the same run,
// so analyses of talk-scale runs without text (talk.test.ts) are analyses of
// what a user would load.

import { describe, expect, it } from 'vitest';
import { analyzeRun } from '../analysis/analyze';
import { assembleRuns } from '../model/runs';
import type { TraceModel } from '../model/types';
import { parseTrace, textSource } from '../parse/parseInput';
import { runSynth, simulateHost, type SynthOptions } from './generate';
import { buildHost } from './hostModel';
import { TraceModelSink } from './traceModelSink';

const OPTIONS: SynthOptions = { cpus: 8, vms: 2, vcpus: 8, seconds: 0.05, policy: 'throttled-yield', format: 'script-pidtid', seed: 4, kvm: true, warmup: 0.02 };

describe('TraceModelSink', () => {
  it('builds the model the parser builds from the same run written as perf script text', async () => {
    const parts: string[] = [];
    const { truth } = runSynth(OPTIONS, (s) => parts.push(s));
    const parsed = await parseTrace(textSource(parts.join('')));
    expect(parsed.skippedLines).toBe(0);
    const sink = new TraceModelSink(buildHost(OPTIONS.cpus, OPTIONS.vms, OPTIONS.vcpus));
    simulateHost(OPTIONS, sink);
    const direct = sink.model();
    const cols = (m: TraceModel) => ({
      switches: [Array.from(m.switches.time), Array.from(m.switches.cpu), Array.from(m.switches.prevState)],
      tids: Array.from(m.switches.next, (t) => m.tasks.tid[t]),
      wakeups: Array.from(m.wakeups.time),
      migrations: Array.from(m.migrations.time),
      exits: [Array.from(m.kvmExits.time), Array.from(m.kvmExits.reason, (r) => m.kvmExitReasons[r])],
    });
    expect(cols(direct)).toEqual(cols(parsed));
    const names = (m: TraceModel) => {
      const a = analyzeRun(assembleRuns([{ name: 'x', kind: 'trace', model: m }])[0]);
      return a.vms.map((v) => [v.name, v.gangScore, v.pleExitsPerSec, v.runSliceMedianUs]);
    };
    expect(names(direct)).toEqual(names(parsed));
    // sim.json names the VMs as analyze does.
    const run = assembleRuns([{ name: 'x', kind: 'trace', model: parsed }])[0];
    expect(truth.vms.map((v) => v.name)).toEqual(analyzeRun(run).vms.map((v) => v.name));
    expect(truth.vms.map((v) => v.tgid)).toEqual(run.vms.map((v) => v.tgid));
    expect(truth.vms.every((v) => v.pleExits > 0 && v.lockAcquisitions > 0)).toBe(true);
  });
});
