// The companion formats that say where memory is per NUMA node (src/model/numaMemory.ts), told apart by
// content like the VM files of index.ts.

import type { NumaMemoryFile, NumaMemoryFormat } from '../../model/numaMemory';
import type { LineMessage } from '../../model/types';
import { parseNodeMeminfo, sniffNodeMeminfo } from './nodeMeminfo';
import { parseNumaMaps, sniffNumaMaps } from './numaMaps';
import { parseNumastat, sniffNumastat } from './numastat';

const FORMATS: {
  format: NumaMemoryFormat;
  sniff: (lines: readonly string[]) => boolean;
  parse: (text: string) => { memory: NumaMemoryFile; warnings: LineMessage[] };
}[] = [
  { format: 'numastat', sniff: sniffNumastat, parse: parseNumastat },
  { format: 'node-meminfo', sniff: sniffNodeMeminfo, parse: parseNodeMeminfo },
  { format: 'numa-maps', sniff: sniffNumaMaps, parse: parseNumaMaps },
];

export function sniffMemory(firstLines: readonly string[]): NumaMemoryFormat | null {
  return FORMATS.find((f) => f.sniff(firstLines))?.format ?? null;
}

export function parseMemory(
  format: NumaMemoryFormat,
  text: string,
): { memory: NumaMemoryFile; warnings: LineMessage[] } {
  const f = FORMATS.find((x) => x.format === format);
  if (!f) throw new Error(`unknown memory format ${format}`);
  return f.parse(text);
}
