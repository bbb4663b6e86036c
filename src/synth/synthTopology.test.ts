// The generator's multi-node host: its lscpu file, and a NUMA-aware policy
// against free placement, measured by the topology metrics.

import { describe, expect, it } from 'vitest';
import { analyzeTopology, type TopologyMetrics } from '../analysis/topology';
import { smtSiblingGroups } from '../model/topology';
import { groupVms } from '../model/vms';
import { parseTrace, textSource } from '../parse/parseInput';
import { parseTopology } from '../parse/topology';
import { generatedTopology, generateTrace, type SynthOptions } from './generate';
import { lscpuText, synthTopology } from './topology';

const BASE: SynthOptions = {
  cpus: 16,
  vms: 4,
  vcpus: 4,
  seconds: 0.3,
  policy: 'ple-on',
  format: 'script-pidtid',
  seed: 11,
  nodes: 2,
  smt: true,
};

function text(o: Partial<SynthOptions>): string {
  const parts: string[] = [];
  generateTrace({ ...BASE, ...o }, (t) => parts.push(t));
  return parts.join('');
}

async function measure(o: Partial<SynthOptions>): Promise<TopologyMetrics> {
  const model = await parseTrace(textSource(text(o)));
  const topology = parseTopology(lscpuText(generatedTopology({ ...BASE, ...o })));
  return analyzeTopology({ name: 'synth', model, vms: groupVms(model), companions: [] }, topology);
}

describe('synth host topology', () => {
  it('splits cores evenly over nodes, SMT threads numbered like Linux on Intel (k and k + cores)', () => {
    const t = synthTopology(16, { nodes: 2, smt: true });
    expect(t.nodes).toEqual([0, 1]);
    expect(t.cpus.filter((c) => c.node === 0).map((c) => c.cpu)).toEqual([0, 1, 2, 3, 8, 9, 10, 11]);
    expect(smtSiblingGroups(t)[0]).toEqual([0, 8]);
    expect(smtSiblingGroups(t)).toHaveLength(8);
    const flat = synthTopology(6, { nodes: 3, smt: false });
    expect(flat.cpus.map((c) => c.node)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(smtSiblingGroups(flat)).toEqual([]);
    expect(() => synthTopology(15, { nodes: 1, smt: true })).toThrow(/even CPU count/);
    expect(() => synthTopology(8, { nodes: 5, smt: true })).toThrow(
      /--nodes must be between 1 and the number of cores \(4\)/,
    );
  });

  it('its lscpu -p text reads back to the same topology', () => {
    const t = synthTopology(16, { nodes: 4, smt: true });
    const text = lscpuText(t);
    expect(text.split('\n')[3]).toBe('# CPU,Core,Socket,Node,,L1d,L1i,L2,L3');
    expect(text.split('\n')[5]).toBe('1,1,0,0,,1,1,1,0');
    expect(parseTopology(text)).toEqual(t);
  });

  it('numa on a single node is ple-on, byte for byte', () => {
    expect(text({ policy: 'numa', nodes: 1, smt: false })).toBe(text({ policy: 'ple-on', nodes: 1, smt: false }));
  });

  it('NUMA-aware placement keeps VMs on their node; free placement spreads them', async () => {
    const aware = await measure({ policy: 'numa' });
    const free = await measure({ policy: 'ple-on' });
    expect(aware.vms).toHaveLength(4);
    for (let v = 0; v < 4; v++) {
      const a = aware.vms[v];
      const f = free.vms[v];
      // VM v's home is node v mod 2, and it never leaves it.
      expect([a.nodeSpread, a.homeNode, a.homeNodeFraction, a.crossNodeMigrationsPerSec]).toEqual([1, v % 2, 1, 0]);
      expect(f.nodeSpread).toBe(2);
      expect(f.homeNodeFraction!).toBeLessThan(0.9);
      expect(f.crossNodeMigrationsPerSec!).toBeGreaterThan(10);
    }
    // Each node carries only its own VMs under numa, every VM under free placement.
    expect(aware.nodes.map((n) => n.vms.map((x) => x.name).sort())).toEqual([
      [free.vms[0].name, free.vms[2].name].sort(),
      [free.vms[1].name, free.vms[3].name].sort(),
    ]);
    expect(free.nodes.every((n) => n.vms.length === 4)).toBe(true);
  });

  it('gang blocks fall inside nodes too, on one thread of each core', async () => {
    const gang = await measure({ policy: 'gang' });
    const free = await measure({ policy: 'ple-on' });
    for (let v = 0; v < 4; v++) {
      expect(gang.vms[v].nodeSpread).toBe(1);
      expect(gang.vms[v].homeNodeFraction).toBe(1);
      expect(gang.vms[v].nodeSpread!).toBeLessThan(free.vms[v].nodeSpread!);
      // Block k holds CPUs 4k..4k+3: four different cores, so never two vCPUs on siblings.
      expect(gang.vms[v].smtSiblingCoRunFraction).toBe(0);
      expect(free.vms[v].smtSiblingCoRunFraction!).toBeGreaterThan(0);
    }
  });
});
