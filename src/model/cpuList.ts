// CPU lists as Linux writes them ("0-3,8,10-11"): read (the CLI's --cpus, the
// panel's CPU field) and written (summaries, messages) by one pair of functions.

import { CPU_LIMIT } from './builder';

/** "0-3,8,10-11": sorted, consecutive CPUs as ranges. */
export function cpuListText(cpus: readonly number[]): string {
  const s = [...cpus].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j === i ? String(s[i]) : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Parse "0-3, 8" (spaces allowed, a range either way round) to sorted CPU numbers; null when it is not
 * such a list, or it names a CPU past Linux's range (8192 and above).
 */
export function parseCpuList(s: string): number[] | null {
  const set = new Set<number>();
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return null;
  for (const part of parts) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (Math.max(a, b) >= CPU_LIMIT) return null;
    for (let c = Math.min(a, b); c <= Math.max(a, b); c++) set.add(c);
  }
  return [...set].sort((x, y) => x - y);
}
