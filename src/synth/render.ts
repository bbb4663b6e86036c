// Text writers of the simulator's event stream, one per format, each in the
// byte layout of the real tool's output (perf 6.1, Linux 6.18 ftrace; checked
// line by line against the recordings in test/fixtures by synthLayout.test.ts).

import type { HostEventSink } from './events';
import { FtraceWriter } from './ftraceWriter';
import type { SynthHost } from './hostModel';
import { MapWriter } from './mapWriter';
import { PerfScriptWriter } from './perfScriptWriter';
import { TimehistWriter } from './timehistWriter';

export type SynthFormat = 'map' | 'script' | 'script-pidtid' | 'ftrace' | 'timehist';
export const SYNTH_FORMATS: readonly SynthFormat[] = ['map', 'script', 'script-pidtid', 'ftrace', 'timehist'];

export type Write = (text: string) => void;

/** Whether a format shows kvm_exit / kvm_entry events (a map and a timehist show switches only). */
export function formatShowsKvm(format: SynthFormat): boolean {
  return format === 'script' || format === 'script-pidtid' || format === 'ftrace';
}

/** A writer of `format`; ftrace's header needs the number of events that follow (`entries`). */
export function createRenderer(format: SynthFormat, host: SynthHost, write: Write, entries = 0): HostEventSink {
  switch (format) {
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
