import { describe, expect, it } from 'vitest';
import { vmMetric, type VmSource } from './catalogue';
import { vmTableOrder } from './vmTableOrder';

/** Four VMs whose gang score is given (null: not measured), the rest of their metrics unread. */
const sources = [0.5, null, 0.9, 0.5].map((gangScore) => ({ vm: { gangScore } }) as unknown as VmSource);
const names = ['vm-b', 'vm-a', 'vm-d', 'vm-c'];
const columns = [vmMetric('gangScore')!];

describe('the VM table order', () => {
  it('is run order without a sort, and by name either way', () => {
    expect(vmTableOrder(sources, names, null, columns)).toEqual([0, 1, 2, 3]);
    expect(vmTableOrder(sources, names, { key: 'name', dir: 1 }, columns)).toEqual([1, 0, 3, 2]);
    expect(vmTableOrder(sources, names, { key: 'name', dir: -1 }, columns)).toEqual([2, 3, 0, 1]);
  });

  it('by a metric: ties in run order, a VM without the value last whichever the direction', () => {
    expect(vmTableOrder(sources, names, { key: 'gangScore', dir: -1 }, columns)).toEqual([2, 0, 3, 1]);
    expect(vmTableOrder(sources, names, { key: 'gangScore', dir: 1 }, columns)).toEqual([0, 3, 2, 1]);
  });
});
