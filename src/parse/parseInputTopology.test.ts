import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { assembleRuns, type DroppedInput } from '../model/runs';
import { parseInput, parseTrace, textSource, UnrecognizedInputError } from './parseInput';

const LSCPU = '# CPU,Core,Socket,Node\n0,0,0,0\n1,1,1,1\n';
const NUMACTL = 'available: 2 nodes (0-1)\nnode 0 cpus: 0\nnode 0 size: 100 MB\nnode 1 cpus: 1\nnode 1 size: 100 MB\n';
// Two CPUs, one VM thread (CPU 0/KVM) on each.
const TRACE = [
  '# tracer: nop',
  '#',
  '          <idle>-0     [000] d..2.   100.000000: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=CPU 0/KVM next_pid=101 next_prio=120',
  '          <idle>-0     [001] d..2.   100.000100: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=CPU 1/KVM next_pid=102 next_prio=120',
  '       CPU 0/KVM-101   [000] d..2.   100.001000: sched_switch: prev_comm=CPU 0/KVM prev_pid=101 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120',
  '       CPU 1/KVM-102   [001] d..2.   100.002000: sched_switch: prev_comm=CPU 1/KVM prev_pid=102 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120',
  '',
].join('\n');

describe('topology files through parseInput', () => {
  it('reads lscpu -p and numactl -H as topology companions', async () => {
    for (const text of [LSCPU, NUMACTL]) {
      const r = await parseInput(textSource(text));
      expect(r.kind).toBe('companion');
      if (r.kind !== 'companion' || r.companion.kind !== 'topology') throw new Error('not a topology');
      expect(r.companion.topology.nodes).toEqual([0, 1]);
      expect(r.companion.topology.cpus.map((c) => c.cpu)).toEqual([0, 1]);
    }
  });

  it('a bad topology line is a file error naming the line', async () => {
    const err = await parseInput(textSource('# CPU,Core,Socket,Node\n0,0,0,0\n1,x,0,0\n')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecognizedInputError);
    expect((err as Error).message).toMatch(/topology file/);
    expect((err as Error).message).toMatch(/line 3/);
  });

  // Issue 19: a damaged lscpu -p dropped with a trace was told to "drop it together with a trace".
  it.each([
    [
      'a CPU field that is no number',
      (l: string[]) => l.map((x) => x.replace(/^1,1,0,0/, 'x,1,0,0')),
      /line 6: CPU "x" is not a number/,
    ],
    [
      'the same without the preamble',
      (l: string[]) => l.slice(3).map((x) => x.replace(/^1,1,0,0/, 'x,1,0,0')),
      /line 3: CPU "x" is not a number/,
    ],
    [
      'a header that lost its #',
      (l: string[]) => l.slice(3).map((x) => x.replace(/^# CPU/, 'CPU')),
      /line 1: a column header without its "#"/,
    ],
    [
      'a core that is no number',
      (l: string[]) => l.map((x) => x.replace(/^1,1,0,0/, '1,-1,0,0')),
      /line 6: core "-1" is not a number/,
    ],
    [
      'a CPU listed twice',
      (l: string[]) => l.map((x) => x.replace(/^1,1,0,0/, '0,1,0,0')),
      /line 6: CPU 0 is listed again \(first on line 5\)/,
    ],
  ])('a real lscpu -p with %s: the message says what is wrong, naming the line', async (_, damage, why) => {
    const text = damage(fixtureText('host-2cpu.lscpu').split('\n')).join('\n');
    const err = await parseInput(textSource(text)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecognizedInputError);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).toMatch(/cannot be read: .* not applied/);
    expect((err as Error).message).not.toMatch(/together with a trace/);
  });

  it('parseTrace refuses a topology file with a hint', async () => {
    await expect(parseTrace(textSource(LSCPU))).rejects.toThrow(/topology file .* not a trace/);
  });
});

describe('assembleRuns with topology files', () => {
  const load = async (text: string, name: string): Promise<DroppedInput> => {
    const r = await parseInput(textSource(text));
    if (r.kind === 'trace') return { name, kind: 'trace', model: r.model };
    if (r.companion.kind !== 'topology') throw new Error('unexpected companion');
    return { name, kind: 'topology', topology: r.companion.topology };
  };

  it('attaches a fitting topology, with the file among the companions', async () => {
    const runs = assembleRuns([await load(TRACE, 't.txt'), await load(LSCPU, 'host.lscpu')]);
    expect(runs).toHaveLength(1);
    expect(runs[0].topology?.nodes).toEqual([0, 1]);
    expect(runs[0].topologyError).toBeNull();
    expect(runs[0].companions).toContain('host.lscpu');
  });

  it('without one: unknown, no error', async () => {
    const runs = assembleRuns([await load(TRACE, 't.txt')]);
    expect(runs[0].topology).toBeNull();
    expect(runs[0].topologyError).toBeNull();
  });

  it('a topology lacking CPUs of the trace is not applied and says why', async () => {
    const runs = assembleRuns([
      await load(TRACE, 't.txt'),
      await load('# CPU,Core,Socket,Node\n0,0,0,0\n', 'one.lscpu'),
    ]);
    expect(runs[0].topology).toBeNull();
    expect(runs[0].topologyError).toMatch(/^one\.lscpu: .*CPU 1.*not applied/);
    expect(runs[0].companions).not.toContain('one.lscpu');
  });
});
