// /sys/devices/system/node/node*/meminfo, concatenated (`cat /sys/devices/system/node/node*/meminfo`):
//   Node 0 MemTotal:        7971444 kB
//   Node 0 HugePages_Total:  4000            a page count: the huge page size is not in this file
// A node listed again (a second snapshot) replaces the earlier one.

import type { LineMessage } from '../../model/types';
import type { HostNodeMemory, NumaMemoryFile } from '../../model/numaMemory';
import { textLines } from './result';
import { thousands } from '../../model/format';

const LINE = /^\s*Node (\d+) ([A-Za-z0-9_()]+):\s+(\d+)(?: kB)?\s*$/;

export function sniffNodeMeminfo(lines: readonly string[]): boolean {
  const used = lines.filter((l) => l.trim() !== '');
  const good = used.filter((l) => LINE.test(l)).length;
  return good >= 2 && good >= used.length * 0.8;
}

export function parseNodeMeminfo(text: string): { memory: NumaMemoryFile; warnings: LineMessage[] } {
  const warnings: LineMessage[] = [];
  const nodes = new Map<number, HostNodeMemory>();
  const seenKeys = new Map<number, Set<string>>();
  let replaced = 0;
  let other = 0;
  let firstOther = 0;
  textLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const m = LINE.exec(raw);
    if (!m) {
      if (other++ === 0) firstOther = line;
      return;
    }
    const node = Number(m[1]);
    const key = m[2];
    const value = Number(m[3]);
    let n = nodes.get(node);
    const keys = seenKeys.get(node) ?? new Set<string>();
    if (!n || keys.has(key)) {
      // A key seen again for a node starts its next snapshot.
      if (n) replaced++;
      n = {
        node,
        totalMb: null,
        freeMb: null,
        usedMb: null,
        hugeTotal: null,
        hugeFree: null,
        hugeUnit: 'pages',
        line,
      };
      nodes.set(node, n);
      keys.clear();
    }
    keys.add(key);
    seenKeys.set(node, keys);
    if (key === 'MemTotal') n.totalMb = value / 1024;
    else if (key === 'MemFree') n.freeMb = value / 1024;
    else if (key === 'MemUsed') n.usedMb = value / 1024;
    else if (key === 'HugePages_Total') n.hugeTotal = value;
    else if (key === 'HugePages_Free') n.hugeFree = value;
  });
  for (const n of nodes.values()) {
    if (n.totalMb === null) continue;
    if (n.freeMb !== null && n.freeMb > n.totalMb)
      warnings.push({
        line: n.line,
        message: `node ${n.node}: MemFree is larger than MemTotal (the kernel's counters are off)`,
      });
    if (n.usedMb !== null && n.usedMb > n.totalMb) {
      warnings.push({
        line: n.line,
        message: `node ${n.node}: MemUsed is larger than MemTotal (a counter that went below zero): used left unknown`,
      });
      n.usedMb = null;
    }
  }
  if (other > 0)
    warnings.push({
      line: firstOther,
      message: `${thousands(other)} line${other === 1 ? ' that is' : 's that are'} no "Node N Key: value" line skipped`,
    });
  return {
    memory: {
      format: 'node-meminfo',
      processes: [],
      nodes: [...nodes.values()].sort((a, b) => a.node - b.node),
      replaced,
    },
    warnings,
  };
}
