// What every companion parser in this folder returns: the VMs the file states (see
// src/model/vmFacts.ts) and, per line it could not use, a warning naming the line.

import type { LineMessage } from '../../model/types';
import type { VmFact, VmFactFormat } from '../../model/vmFacts';

export interface FactsResult {
  format: VmFactFormat;
  facts: VmFact[];
  warnings: LineMessage[];
}

/** Lines of a companion's text without BOM and CR (virsh prints HMP answers with CRLF). */
export function textLines(text: string): string[] {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return t.split(/\r?\n|\r/);
}

export function emptyFact(): VmFact {
  return { name: null, pid: null, vcpus: [], otherTids: [], vcpuCount: null, pins: [] };
}

/**
 * One vCPU entry per thread: a thread listed for several vCPUs (single-threaded TCG, or QEMU
 * before its vCPUs started) keeps the lowest index; the warning says which.
 */
export function onePerThread(
  vcpus: readonly { index: number; tid: number; line: number }[],
  warnings: LineMessage[],
): { index: number; tid: number }[] {
  const byTid = new Map<number, { index: number; tid: number; line: number; others: number[] }>();
  for (const v of vcpus) {
    const seen = byTid.get(v.tid);
    if (!seen) byTid.set(v.tid, { ...v, others: [] });
    else seen.others.push(v.index);
  }
  const out: { index: number; tid: number }[] = [];
  for (const v of byTid.values()) {
    if (v.others.length > 0)
      warnings.push({
        line: v.line,
        message: `thread ${v.tid} runs vCPUs ${[v.index, ...v.others].join(', ')} (one thread for several vCPUs: single-threaded TCG): it is read as vCPU ${v.index}`,
      });
    out.push({ index: v.index, tid: v.tid });
  }
  return out.sort((a, b) => a.index - b.index);
}
