// libvirt domain XML: `virsh dumpxml DOMAIN` (several dumps concatenated are read too, and the
// <domstatus> files libvirt keeps for running domains). It has no thread ids: it names a VM
// (<name>), says how many vCPUs are online (<vcpu current='N'>M</vcpu>, else M) and where each is
// pinned (<cputune><vcpupin vcpu='0' cpuset='1-4,^2'/>, else <vcpu cpuset=…> for all). A VM of the
// trace takes these by its name (src/model/vms.ts).

import { parseXml, XmlElement, XmlError } from '@rgrove/parse-xml';
import type { LineMessage } from '../../model/types';
import type { VcpuPin, VmFact } from '../../model/vmFacts';
import { emptyFact, type FactsResult } from './result';

export function sniffDomainXml(lines: readonly string[]): boolean {
  const first = lines
    .map((l) => (l.charCodeAt(0) === 0xfeff ? l.slice(1) : l).trim())
    .find((l) => l !== '' && !l.startsWith('<?xml') && !l.startsWith('<!--'));
  return first !== undefined && /^<(domain|domstatus)[\s>]/.test(first);
}

const children = (e: XmlElement, name: string): XmlElement[] =>
  e.children.filter((c): c is XmlElement => c instanceof XmlElement && c.name === name);

export function parseDomainXml(text: string): FactsResult {
  const warnings: LineMessage[] = [];
  // Several dumps one after another are several roots: read them under one wrapper, on the same lines.
  const body = text.replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>/g, (d) => ' '.repeat(d.length));
  let root: XmlElement;
  try {
    const doc = parseXml(`<dumps>${body}</dumps>`);
    root = doc.root as XmlElement;
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    warnings.push({ line: e.line, message: `not well-formed XML: ${e.message.split('\n')[0]}` });
    return { format: 'domain-xml', facts: [], warnings };
  }
  const domains = [...children(root, 'domain'), ...children(root, 'domstatus').flatMap((s) => children(s, 'domain'))];
  const facts = domains.flatMap((d) => domainFact(d, warnings));
  if (facts.length === 0) warnings.push({ line: 1, message: 'no <domain> with a <name> in this XML' });
  return { format: 'domain-xml', facts, warnings };
}

function domainFact(d: XmlElement, warnings: LineMessage[]): VmFact[] {
  const name = children(d, 'name')[0]?.text.trim() ?? '';
  if (name === '') return [];
  const vcpu = children(d, 'vcpu')[0];
  let vcpuCount: number | null = null;
  let defaultPins: number[] | null = null;
  if (vcpu) {
    const max = Number(vcpu.text.trim());
    const current = vcpu.attributes.current !== undefined ? Number(vcpu.attributes.current) : max;
    if (Number.isInteger(current) && current > 0) vcpuCount = current;
    else warnings.push({ line: 1, message: `domain ${name}: <vcpu> "${vcpu.text.trim()}" is no vCPU count` });
    if (vcpu.attributes.cpuset !== undefined) defaultPins = cpuset(vcpu.attributes.cpuset);
  }
  const pinned = new Map<number, number[]>();
  for (const tune of children(d, 'cputune')) {
    for (const p of children(tune, 'vcpupin')) {
      const index = Number(p.attributes.vcpu);
      const cpus = p.attributes.cpuset !== undefined ? cpuset(p.attributes.cpuset) : null;
      if (Number.isInteger(index) && index >= 0 && cpus) pinned.set(index, cpus);
      else
        warnings.push({
          line: 1,
          message: `domain ${name}: <vcpupin vcpu='${p.attributes.vcpu}' cpuset='${p.attributes.cpuset}'> skipped`,
        });
    }
  }
  const pins: VcpuPin[] = [];
  const count = vcpuCount ?? 0;
  for (let i = 0; i < Math.max(count, ...[...pinned.keys()].map((k) => k + 1)); i++) {
    const cpus = pinned.get(i) ?? defaultPins;
    if (cpus) pins.push({ vcpu: i, cpus });
  }
  return [{ ...emptyFact(), name, vcpuCount, pins }];
}

/** libvirt's cpuset: "1-4,^3,6" (a caret removes a CPU from what comes before); null when malformed. */
export function cpuset(s: string): number[] | null {
  const set = new Set<number>();
  for (const raw of s.split(',')) {
    const part = raw.trim();
    const m = /^(\^)?(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return null;
    const a = Number(m[2]);
    const b = m[3] === undefined ? a : Number(m[3]);
    if (b < a || b - a > 65535) return null;
    for (let c = a; c <= b; c++) {
      if (m[1]) set.delete(c);
      else set.add(c);
    }
  }
  return [...set].sort((x, y) => x - y);
}
