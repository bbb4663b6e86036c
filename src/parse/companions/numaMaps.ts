// /proc/PID/numa_maps: one line per mapping, its address, its policy, then `key=value` items and flags:
//   7f1f3b9bd000 default file=/lib/libc.so.6 mapped=3 mapmax=29 N0=3 kernelpagesize_kB=4
//   2aaac0000000 default file=/dev/hugepages1G/…\040(deleted) huge anon=4 dirty=4 N0=4 kernelpagesize_kB=1048576
// N<node>=<pages> counts the process's pages on a node, in units of kernelpagesize_kB (given since Linux
// 3.19); `huge` marks hugetlbfs mappings. The policy may hold a blank (`prefer (many):0-1`), so items are
// found by their shape, not their position. Several files concatenated are told apart by a `# pid N` line
// before each (or the `==> /proc/N/numa_maps <==` that `head`/`tail` print); numastat -p sums the same
// pages per node (Huge, Heap, Stack, the rest Private).

import type { LineMessage } from '../../model/types';
import type { NodeMb, NumaMemoryFile, ProcessMemory } from '../../model/numaMemory';
import { textLines } from './result';
import { thousands } from '../../model/format';

const MAPPING = /^([0-9a-f]{1,16}) \S/;
const PID_HEADER = /^\s*#\s*pid[\s:=]+(\d+)\s*$/i;
const HEAD_HEADER = /^==> (?:\/proc\/)?(\d+)\/numa_maps <==$/;
const NODE_ITEM = /^N(\d+)=(\d+)$/;
const PAGE_SIZE = /^kernelpagesize_kB=(\d+)$/;

export function sniffNumaMaps(lines: readonly string[]): boolean {
  const used = lines.filter((l) => l.trim() !== '' && !PID_HEADER.test(l) && !HEAD_HEADER.test(l.trim()));
  const maps = used.filter((l) => MAPPING.test(l) && /\s(N\d+=\d+|kernelpagesize_kB=\d+)(\s|$)/.test(l)).length;
  return maps > 0 && maps >= used.length * 0.8;
}

interface Pages {
  pid: number | null;
  line: number;
  kb: Map<number, number>;
  hugeKb: Map<number, number>;
}

const toMb = (kb: Map<number, number>): NodeMb[] =>
  [...kb].map(([node, k]) => ({ node, mb: k / 1024 })).sort((a, b) => a.node - b.node);

export function parseNumaMaps(text: string): { memory: NumaMemoryFile; warnings: LineMessage[] } {
  const warnings: LineMessage[] = [];
  const done = new Map<number | null, ProcessMemory>();
  let replaced = 0;
  let cur: Pages | null = null;
  let noPageSize = 0;
  let firstNoPageSize = 0;
  let other = 0;
  let firstOther = 0;

  const close = (): void => {
    if (!cur) return;
    if (done.has(cur.pid)) replaced++;
    done.set(cur.pid, {
      pid: cur.pid,
      comm: null,
      byNode: toMb(cur.kb),
      hugeByNode: toMb(cur.hugeKb),
      line: cur.line,
    });
    cur = null;
  };

  textLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const header = PID_HEADER.exec(raw) ?? HEAD_HEADER.exec(raw.trim());
    if (header) {
      close();
      cur = { pid: Number(header[1]), line, kb: new Map(), hugeKb: new Map() };
      return;
    }
    if (!MAPPING.test(raw)) {
      if (other++ === 0) firstOther = line;
      return;
    }
    cur ??= { pid: null, line, kb: new Map(), hugeKb: new Map() };
    let huge = false;
    let pageKb = 0;
    const pages: [number, number][] = [];
    for (const item of raw.split(' ')) {
      if (item === 'huge') huge = true;
      const n = NODE_ITEM.exec(item);
      if (n) pages.push([Number(n[1]), Number(n[2])]);
      const s = PAGE_SIZE.exec(item);
      if (s) pageKb = Number(s[1]);
    }
    if (pages.length === 0) return;
    if (pageKb === 0) {
      // Kernels before 3.19 print no page size: base pages of 4 kB, huge pages of 2 MB (x86-64's default).
      if (noPageSize++ === 0) firstNoPageSize = line;
      pageKb = huge ? 2048 : 4;
    }
    for (const [node, count] of pages) {
      cur.kb.set(node, (cur.kb.get(node) ?? 0) + count * pageKb);
      if (huge) cur.hugeKb.set(node, (cur.hugeKb.get(node) ?? 0) + count * pageKb);
    }
  });
  close();
  if (other > 0)
    warnings.push({
      line: firstOther,
      message: `${thousands(other)} line${other === 1 ? ' that is' : 's that are'} no numa_maps mapping or "# pid N" line skipped`,
    });
  if (noPageSize > 0)
    warnings.push({
      line: firstNoPageSize,
      message: `${noPageSize} mapping${noPageSize === 1 ? ' gives' : 's give'} no kernelpagesize_kB (Linux before 3.19): read as 4 kB pages, 2 MB for huge ones`,
    });
  return { memory: { format: 'numa-maps', processes: [...done.values()], nodes: [], replaced }, warnings };
}
