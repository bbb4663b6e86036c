// The companion formats that describe a host's VMs (src/model/vmFacts.ts), told apart by content.
// parseInput calls sniffVmFacts on the first lines of an input that is no trace, then parseVmFacts
// on its whole text.

import type { VmFactFormat } from '../../model/vmFacts';
import { parseCgroupThreads, sniffCgroupThreads } from './cgroupThreads';
import { parseDomainXml, sniffDomainXml } from './domainXml';
import { parseHmpCpus, sniffHmpCpus } from './hmpCpus';
import { parsePsArgs, sniffPsArgs } from './psArgs';
import { parseQmpCpus, sniffQmpCpus } from './qmpCpus';
import type { FactsResult } from './result';

const FORMATS: {
  format: VmFactFormat;
  sniff: (lines: readonly string[]) => boolean;
  parse: (text: string) => FactsResult;
}[] = [
  { format: 'qmp-cpus', sniff: sniffQmpCpus, parse: parseQmpCpus },
  { format: 'domain-xml', sniff: sniffDomainXml, parse: parseDomainXml },
  { format: 'hmp-cpus', sniff: sniffHmpCpus, parse: parseHmpCpus },
  { format: 'cgroup-threads', sniff: sniffCgroupThreads, parse: parseCgroupThreads },
  { format: 'ps-args', sniff: sniffPsArgs, parse: parsePsArgs },
];

export function sniffVmFacts(firstLines: readonly string[]): VmFactFormat | null {
  return FORMATS.find((f) => f.sniff(firstLines))?.format ?? null;
}

export function parseVmFacts(format: VmFactFormat, text: string): FactsResult {
  const f = FORMATS.find((x) => x.format === format);
  if (!f) throw new Error(`unknown companion format ${format}`);
  return f.parse(text);
}
