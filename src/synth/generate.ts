// One call from options to trace text: build the host, simulate, render.

import type { HostTopology } from '../model/topology';
import { buildHost } from './hostModel';
import { mulberry32 } from './random';
import { createRenderer, type SynthFormat, type Write } from './render';
import { simulate, type Placement, type SynthPolicy } from './schedule';
import { synthTopology } from './topology';

export interface SynthOptions {
  cpus: number;
  vms: number;
  vcpus: number;
  seconds: number;
  policy: SynthPolicy;
  format: SynthFormat;
  seed: number;
  /** NUMA nodes of the host (default 1); CPUs are split evenly, one socket per node. */
  nodes?: number;
  /** Two SMT threads per core (default off). */
  smt?: boolean;
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

/** The host's topology for these options (write it with lscpuText). */
export function generatedTopology(options: SynthOptions): HostTopology {
  return synthTopology(options.cpus, { nodes: options.nodes ?? 1, smt: options.smt ?? false });
}

/** NUMA-aware placement: VM v's home is node v mod N (node = domain). */
function numaPlacement(topology: HostTopology, cpus: number, vms: number): Placement {
  const domainOfCpu = new Int32Array(cpus);
  for (const c of topology.cpus) domainOfCpu[c.cpu] = topology.nodes.indexOf(c.node);
  const domains = topology.nodes.length;
  return { domains, domainOfCpu, homeOfVm: Int32Array.from({ length: vms }, (_, v) => v % domains) };
}

/** Generate a trace, handing text to `write` in pieces; returns the number of switches. */
export function generateTrace(options: SynthOptions, write: Write): number {
  const host = buildHost(options.cpus, options.vms, options.vcpus);
  const topology = generatedTopology(options);
  const renderer = createRenderer(options.format, host, write);
  let switches = 0;
  simulate(
    host,
    options.policy,
    options.seconds,
    mulberry32(options.seed),
    {
      switch(t, cpu, prev, state, next) {
        switches++;
        renderer.switch(t, cpu, prev, state, next);
      },
      waking: (t, cpu, task, target) => renderer.waking(t, cpu, task, target),
    },
    numaPlacement(topology, options.cpus, options.vms),
  );
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
