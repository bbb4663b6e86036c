import { describe, expect, it } from 'vitest';
import { cpuListText, parseCpuList } from './cpuList';

describe('CPU lists', () => {
  it('reads and writes them as the kernel does', () => {
    expect(parseCpuList('0-3, 8')).toEqual([0, 1, 2, 3, 8]);
    expect(parseCpuList('5-3')).toEqual([3, 4, 5]);
    expect(parseCpuList('x')).toBeNull();
    expect(parseCpuList('')).toBeNull();
    expect(cpuListText([0, 1, 2, 3, 8, 10, 11])).toBe('0-3,8,10-11');
  });
});
