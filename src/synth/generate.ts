// One call from options to trace text: build the host, simulate, render.

import { buildHost } from './hostModel';
import { mulberry32 } from './random';
import { createRenderer, type SynthFormat, type Write } from './render';
import { simulate, type SynthPolicy } from './schedule';

export interface SynthOptions {
  cpus: number;
  vms: number;
  vcpus: number;
  seconds: number;
  policy: SynthPolicy;
  format: SynthFormat;
  seed: number;
}

export const DEFAULT_SYNTH: SynthOptions = {
  cpus: 80,
  vms: 8,
  vcpus: 20,
  seconds: 10,
  policy: 'ple-on',
  format: 'map',
  seed: 1,
};

/** Generate a trace, handing text to `write` in pieces; returns the number of switches. */
export function generateTrace(options: SynthOptions, write: Write): number {
  const host = buildHost(options.cpus, options.vms, options.vcpus);
  const renderer = createRenderer(options.format, host, write);
  let switches = 0;
  simulate(host, options.policy, options.seconds, mulberry32(options.seed), {
    switch(t, cpu, prev, state, next) {
      switches++;
      renderer.switch(t, cpu, prev, state, next);
    },
    waking: (t, cpu, task, target) => renderer.waking(t, cpu, task, target),
  });
  renderer.end();
  return switches;
}

/** Buffer small writes into large ones (file streams are slow per call). */
export function bufferedWriter(flush: (chunk: string) => void, size = 1 << 20): { write: Write; end: () => void } {
  let parts: string[] = [];
  let length = 0;
  return {
    write(text) {
      parts.push(text);
      length += text.length;
      if (length >= size) {
        flush(parts.join(''));
        parts = [];
        length = 0;
      }
    },
    end() {
      if (length > 0) flush(parts.join(''));
      parts = [];
      length = 0;
    },
  };
}
