// Text writers of the simulator's event stream, one per format, each in the
// byte layout of the real tool's output (perf 6.1, Linux 6.18 ftrace; checked
// line by line against the recordings in test/fixtures by synthLayout.test.ts).

import type { HostEventSink } from './events';
import { FtraceWriter } from './ftraceWriter';
import type { SynthHost } from './hostModel';
import { MapWriter } from './mapWriter';
import type { PerfDataOutput } from './perfDataFile';
import { PerfDataWriter } from './perfDataWriter';
import { PerfScriptWriter } from './perfScriptWriter';
import { TimehistWriter } from './timehistWriter';

export type SynthFormat = 'map' | 'script' | 'script-pidtid' | 'ftrace' | 'timehist';
export const SYNTH_FORMATS: readonly SynthFormat[] = ['map', 'script', 'script-pidtid', 'ftrace', 'timehist'];
/** The text formats and the binary perf.data (perfDataWriter.ts). */
export type SynthOutputFormat = SynthFormat | 'perf.data';
export const SYNTH_OUTPUT_FORMATS: readonly SynthOutputFormat[] = [...SYNTH_FORMATS, 'perf.data'];

/** Where a perf.data goes, and the command line it records (HEADER_CMDLINE). */
export interface BinaryOutput {
  out: PerfDataOutput;
  cmdline: readonly string[];
}

export type Write = (text: string) => void;

/** Whether a format shows kvm_exit / kvm_entry events (a map and a timehist show switches only). */
export function formatShowsKvm(format: SynthOutputFormat): boolean {
  return format === 'script' || format === 'script-pidtid' || format === 'ftrace' || format === 'perf.data';
}

/**
 * A writer of `format`; ftrace's header needs the number of events that follow
 * (`entries`), a perf.data its binary output (and `kvm`: whether it has the kvm events).
 */
export function createRenderer(
  format: SynthOutputFormat,
  host: SynthHost,
  write: Write,
  entries = 0,
  binary?: BinaryOutput & { kvm: boolean },
): HostEventSink {
  switch (format) {
    case 'perf.data':
      if (binary === undefined) throw new Error('a perf.data is binary: give createRenderer its output');
      return new PerfDataWriter(host, binary.out, { kvm: binary.kvm, cmdline: binary.cmdline });
    case 'map':
      return new MapWriter(host, write);
    case 'script':
    case 'script-pidtid':
      return new PerfScriptWriter(host, write, format === 'script-pidtid');
    case 'ftrace':
      return new FtraceWriter(host, write, entries);
    case 'timehist':
      return new TimehistWriter(host, write);
  }
}
