// Typed-array buffers of the models (and of their CPU groupings), so postMessage moves them instead of
// copying.

import type { DroppedInput } from '../model/runs';
import type { CpuSlices } from '../render/sliceIndex';

export function transferablesOf(
  inputs: readonly DroppedInput[],
  extra: readonly (CpuSlices | null)[] = [],
): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
      return;
    }
    if (Array.isArray(v)) return;
    for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const i of inputs) if (i.kind === 'trace') visit(i.model, 0);
  for (const c of extra) if (c) visit(c, 0);
  return [...out];
}
