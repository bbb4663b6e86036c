import { describe, expect, it } from 'vitest';
import { vmMetric, vmNodeMetrics } from './catalogue';
import { cliCell, cliHead, exitReasonsText, rowFormat, valueText } from './metricText';

describe('memory in MB: one unit in the table, the comparison and the CLI', () => {
  it('the VM table, the comparison row and its differences, the CLI head and cell', () => {
    const m = vmMetric('memoryMb')!;
    expect(m.unit).toBe('MB');
    expect(valueText('MB', 2048)).toBe('2,048 MB');
    const f = rowFormat('MB', [2048, 0]);
    expect(f.unit).toBe('MB');
    expect(f.value(2048)).toBe('2,048 MB');
    expect(f.delta(-2048)).toBe('−2,048 MB');
    expect(cliHead(m)).toBe('memory');
    expect(cliCell('MB', 2048)).toBe('2,048 MB');
  });

  it('per node: memory in MB and the vCPU run share, the latter only beside memory data', () => {
    const [mem, run] = vmNodeMetrics(1);
    expect([mem.key, mem.unit, run.key, run.unit]).toEqual(['memoryMb:1', 'MB', 'runShare:1', 'fraction']);
    const topology = {
      memoryByNode: [{ node: 0, mb: 512 }],
      cpuTimeByNode: [
        { node: 0, runUs: 100 },
        { node: 1, runUs: 300 },
      ],
    };
    const vm = {} as never;
    expect(mem.value({ vm, topology })).toBe(0);
    expect(run.value({ vm, topology })).toBe(0.75);
    expect(mem.value({ vm, topology: { ...topology, memoryByNode: null } })).toBeNull();
    expect(run.value({ vm, topology: { ...topology, memoryByNode: null } })).toBeNull();
  });
});

describe('KVM exit reasons', () => {
  it('most frequent first, counts as the panel writes numbers; none, or a dash without kvm_exit data', () => {
    expect(exitReasonsText({ EPT_VIOLATION: 31, HLT: 1204, IO_INSTRUCTION: 31.5 })).toBe(
      'HLT 1,204, IO_INSTRUCTION 31.5, EPT_VIOLATION 31',
    );
    expect(exitReasonsText({})).toBe('none');
    expect(exitReasonsText(null)).toBe('—');
  });
});
