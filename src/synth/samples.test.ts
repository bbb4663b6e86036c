// The built-in sample pair "Simulated: PLE on vs throttled yield" is what
// `schedmap synth` writes today: docs/simulator.md gives its command line, and
// a change to the simulator's mechanisms must come with the samples it writes
// (regenerate them with that command, each `gzip -9 -n`).

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateTrace } from './generate';

const SAMPLES = new URL('../../public/samples/', import.meta.url);

describe('the simulated sample pair', () => {
  const index = JSON.parse(readFileSync(new URL('index.json', SAMPLES), 'utf8')) as { file: string; with?: string }[];

  it('is one entry of the samples index, PLE on opened beside throttled yield', () => {
    const pair = index.find((s) => s.file === 'sim-2vm-x16vcpu-ple-on.script-pidtid.txt.gz');
    expect(pair?.with).toBe('sim-2vm-x16vcpu-throttled-yield.script-pidtid.txt.gz');
  });

  it.each(['ple-on', 'throttled-yield'] as const)(
    '%s: synth --cpus 16 --vms 2 --vcpus 16 --seconds 0.02 --format script-pidtid, byte for byte',
    (policy) => {
      const parts: string[] = [];
      generateTrace({ cpus: 16, vms: 2, vcpus: 16, seconds: 0.02, policy, format: 'script-pidtid', seed: 1 }, (t) => parts.push(t));
      const sample = gunzipSync(readFileSync(new URL(`sim-2vm-x16vcpu-${policy}.script-pidtid.txt.gz`, SAMPLES))).toString('utf8');
      const text = parts.join('');
      // Compared line by line first, so a stale sample names its first different line.
      const a = sample.split('\n');
      const b = text.split('\n');
      const first = a.findIndex((line, i) => line !== b[i]);
      expect(first, `first different line ${first + 1}: sample "${a[first]}" vs synth "${b[first]}"`).toBe(-1);
      expect(text).toBe(sample);
    },
  );
});
