import { describe, expect, it } from 'vitest';
import { vmNodeBars } from './nodeBars';

describe('vmNodeBars', () => {
  it('memory and run time per node as shares of the VM, nodes of either side', () => {
    const bars = vmNodeBars({
      memoryByNode: [
        { node: 0, mb: 3072 },
        { node: 2, mb: 1024 },
      ],
      cpuTimeByNode: [
        { node: 0, runUs: 250 },
        { node: 1, runUs: 750 },
      ],
    });
    expect(bars).toEqual([
      { node: 0, memoryMb: 3072, memoryShare: 0.75, runUs: 250, runShare: 0.25 },
      { node: 1, memoryMb: 0, memoryShare: 0, runUs: 750, runShare: 0.75 },
      { node: 2, memoryMb: 1024, memoryShare: 0.25, runUs: 0, runShare: 0 },
    ]);
  });

  it('without memory data only the run shares; a VM that never ran has none', () => {
    expect(vmNodeBars({ memoryByNode: null, cpuTimeByNode: [{ node: 0, runUs: 0 }] })).toEqual([
      { node: 0, memoryMb: null, memoryShare: null, runUs: 0, runShare: null },
    ]);
  });
});
