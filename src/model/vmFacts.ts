// What the files a KVM host already has say about its VMs, in one shape whatever the file
// (src/parse/companions/ reads them): which threads are a VM's vCPUs (QMP query-cpus-fast, HMP
// info cpus, libvirt's cgroup vcpuN/cgroup.threads), which process is QEMU and what it is called
// (ps -eo pid,args), how many vCPUs a VM has and where they are pinned (ps -smp, virsh dumpxml).
// resolveFacts combines the files of one drop; README "Companion files" states the same rules:
//  - vCPU threads: QMP beats HMP beats cgroup where they disagree on a thread's index; files that
//    share a thread are one VM;
//  - names: a VM map CSV, then ps `-name guest=`, then the cgroup scope, then the QMP/HMP file name;
//  - vCPU count (the limit of an estimate): ps `-smp`, then the domain XML's `<vcpu>`.

export type VmFactFormat = 'qmp-cpus' | 'hmp-cpus' | 'cgroup-threads' | 'ps-args' | 'domain-xml';

export interface VcpuThreadFact {
  index: number;
  tid: number;
}

export interface VcpuPin {
  vcpu: number;
  cpus: number[];
}

/** One VM as one file states it. */
export interface VmFact {
  /** The name the content gives (ps `-name guest=`, cgroup scope, `<name>`); null when it gives none (QMP, HMP). */
  name: string | null;
  /** QEMU's process id (ps). */
  pid: number | null;
  /** vCPU threads with their index (QMP, HMP, cgroup vcpuN). */
  vcpus: VcpuThreadFact[];
  /** Threads of the VM that are not vCPUs (cgroup emulator/, iothreadN/). */
  otherTids: number[];
  /** Online vCPUs the content states (`-smp`, `<vcpu current=…>`), null when it states none. */
  vcpuCount: number | null;
  /** `<vcpupin>`: host CPUs per vCPU index. */
  pins: VcpuPin[];
}

export interface FactFile {
  /** File name as dropped. */
  file: string;
  format: VmFactFormat;
  facts: readonly VmFact[];
}

export const FACT_FORMAT_LABEL: Record<VmFactFormat, string> = {
  'qmp-cpus': 'QMP query-cpus-fast',
  'hmp-cpus': 'HMP info cpus',
  'cgroup-threads': 'cgroup.threads',
  'ps-args': 'ps -eo pid,args',
  'domain-xml': 'virsh dumpxml',
};

/** Where thread lists disagree, the stronger source wins. */
const THREAD_STRENGTH: Partial<Record<VmFactFormat, number>> = { 'qmp-cpus': 3, 'hmp-cpus': 2, 'cgroup-threads': 1 };

/** A VM whose vCPU threads companion files list. */
export interface ListedVm {
  name: string;
  /** The file the name comes from. */
  nameFrom: string;
  vcpus: VcpuThreadFact[];
  otherTids: number[];
  files: string[];
}

export interface QemuProcessFact {
  pid: number;
  name: string | null;
  vcpuCount: number | null;
  file: string;
}

export interface DomainFact {
  name: string;
  vcpuCount: number | null;
  pins: VcpuPin[];
  file: string;
}

export interface ResolvedFacts {
  listed: ListedVm[];
  /** QEMU processes by pid (ps). */
  processes: Map<number, QemuProcessFact>;
  /** Domain XMLs by name. */
  domains: Map<string, DomainFact>;
  notes: string[];
}

/**
 * The VM a QMP or HMP answer belongs to is named after its file: `web01.json`, `web01.txt`,
 * `web01.hmp.txt`, `web01.qmp.json.gz` are all `web01`.
 */
export function vmNameOfFile(file: string): string {
  const base = file.replace(/^.*[\\/]/, '');
  const stem = base
    .replace(/\.gz$/i, '')
    .replace(/\.(json|txt|log|out)$/i, '')
    .replace(/\.(qmp|hmp|cpus|info-cpus|query-cpus-fast)$/i, '');
  return stem === '' ? base : stem;
}

interface Entity {
  strength: number;
  file: string;
  name: string;
  /** Whether the content named it (cgroup) rather than its file name (QMP, HMP). */
  named: boolean;
  vcpus: VcpuThreadFact[];
  otherTids: number[];
}

export function resolveFacts(files: readonly FactFile[]): ResolvedFacts {
  const notes: string[] = [];
  const entities: Entity[] = [];
  const processes = new Map<number, QemuProcessFact>();
  const domains = new Map<string, DomainFact>();
  for (const f of files) {
    const strength = THREAD_STRENGTH[f.format];
    for (const fact of f.facts) {
      if (strength !== undefined) {
        entities.push({
          strength,
          file: f.file,
          name: fact.name ?? vmNameOfFile(f.file),
          named: fact.name !== null,
          vcpus: fact.vcpus,
          otherTids: fact.otherTids,
        });
      } else if (f.format === 'ps-args' && fact.pid !== null) {
        const before = processes.get(fact.pid);
        if (before && (before.name !== fact.name || before.vcpuCount !== fact.vcpuCount))
          notes.push(`QEMU pid ${fact.pid} is described in ${before.file} and ${f.file}: ${f.file} is used`);
        processes.set(fact.pid, { pid: fact.pid, name: fact.name, vcpuCount: fact.vcpuCount, file: f.file });
      } else if (f.format === 'domain-xml' && fact.name !== null) {
        if (domains.has(fact.name))
          notes.push(`domain ${fact.name} is in ${domains.get(fact.name)?.file} and ${f.file}: ${f.file} is used`);
        domains.set(fact.name, { name: fact.name, vcpuCount: fact.vcpuCount, pins: fact.pins, file: f.file });
      }
    }
  }
  return { listed: mergeEntities(entities, notes), processes, domains, notes };
}

/** Entities that share a thread are one VM; per thread the strongest entity's index stands. */
function mergeEntities(entities: Entity[], notes: string[]): ListedVm[] {
  const parent = entities.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const ownerOfTid = new Map<number, number>();
  entities.forEach((e, i) => {
    for (const tid of [...e.vcpus.map((v) => v.tid), ...e.otherTids]) {
      const o = ownerOfTid.get(tid);
      if (o === undefined) ownerOfTid.set(tid, i);
      else if (find(o) !== find(i)) parent[find(i)] = find(o);
    }
  });
  const groups = new Map<number, number[]>();
  entities.forEach((_, i) => {
    const r = find(i);
    groups.set(r, [...(groups.get(r) ?? []), i]);
  });
  const out: ListedVm[] = [];
  for (const members of groups.values()) {
    const ms = members.map((i) => entities[i]).sort((a, b) => b.strength - a.strength);
    const files = [...new Set(ms.map((e) => e.file))];
    if (ms.length > 1 && new Set(ms.map((e) => e.name)).size > 1)
      notes.push(`${files.join(', ')} list the same threads: read as one VM`);
    const vcpuOf = new Map<number, { index: number; file: string }>();
    for (const e of ms) {
      for (const v of e.vcpus) {
        const claim = vcpuOf.get(v.tid);
        if (!claim) vcpuOf.set(v.tid, { index: v.index, file: e.file });
        else if (claim.index !== v.index)
          notes.push(
            `thread ${v.tid} is vCPU ${claim.index} in ${claim.file} but vCPU ${v.index} in ${e.file}: ${claim.file} wins`,
          );
      }
    }
    const otherTids = [...new Set(ms.flatMap((e) => e.otherTids))].filter((t) => !vcpuOf.has(t)).sort((a, b) => a - b);
    // A name the content gives beats a file name; among equals, the stronger source.
    const namer = ms.find((e) => e.named) ?? ms[0];
    out.push({
      name: namer.name,
      nameFrom: namer.file,
      vcpus: [...vcpuOf]
        .map(([tid, c]) => ({ tid, index: c.index }))
        .sort((a, b) => a.index - b.index || a.tid - b.tid),
      otherTids,
      files,
    });
  }
  return out;
}
