// Where memory is, per NUMA node, as a host's own tools state it at one moment (src/parse/companions/
// numastat.ts, numaMaps.ts, nodeMeminfo.ts read them):
//  - per process (numastat -p, /proc/PID/numa_maps): a QEMU process's memory is its VM's;
//  - host-wide (numastat -m, /sys/devices/system/node/node*/meminfo): the node table.
// A file may hold several snapshots (a loop of numastat, several numa_maps concatenated): per process and
// per node the last one stands, and the file says how many it replaced. combineMemory does the same
// across the files of one drop, in drop order.

/** numastat: its -p tables (one process, or the multi-process table) and its -m table, alone or together. */
export type NumaMemoryFormat = 'numastat' | 'numa-maps' | 'node-meminfo';

export const MEMORY_FORMAT_LABEL: Record<NumaMemoryFormat, string> = {
  numastat: 'numastat -p / -m',
  'numa-maps': '/proc/PID/numa_maps',
  'node-meminfo': 'node*/meminfo',
};

export interface NodeMb {
  node: number;
  mb: number;
}

/** One process's memory by node, as one snapshot states it. */
export interface ProcessMemory {
  /** The process id (= the tgid of its threads); null for a numa_maps without `# pid N` (assembly takes it from the file name). */
  pid: number | null;
  /** The command name as printed (numastat -c truncates it), null when the file gives none. */
  comm: string | null;
  /** MB per node, ascending by node (a node the file shows no pages on may be absent). */
  byNode: NodeMb[];
  /** Of which huge pages (hugetlbfs), per node; null when the file does not split them out (numastat's multi-process table). */
  hugeByNode: NodeMb[] | null;
  /** Line of the file the snapshot starts on. */
  line: number;
}

/** One host node's memory, as a host-wide file states it. Null where the file does not give the value. */
export interface HostNodeMemory {
  node: number;
  totalMb: number | null;
  freeMb: number | null;
  usedMb: number | null;
  /** Huge pages reserved and free: MB (numastat -m converts) or a page count (node meminfo gives no page size). */
  hugeTotal: number | null;
  hugeFree: number | null;
  hugeUnit: 'MB' | 'pages';
  line: number;
}

/** What one memory file states; the later snapshot of a process or node already replaced the earlier ones. */
export interface NumaMemoryFile {
  format: NumaMemoryFormat;
  processes: ProcessMemory[];
  nodes: HostNodeMemory[];
  /** Snapshots of a process or node that a later one in the same file replaced. */
  replaced: number;
}

export function sumMb(byNode: readonly NodeMb[]): number {
  let s = 0;
  for (const n of byNode) s += n.mb;
  return s;
}

/** Memory of one process, with the file it comes from. */
export interface ProcessMemoryFact extends ProcessMemory {
  pid: number;
  file: string;
}

export interface HostNodeMemoryFact extends HostNodeMemory {
  file: string;
}

/** The memory files of one drop combined: per pid and per node the last file wins. */
export interface CombinedMemory {
  processes: Map<number, ProcessMemoryFact>;
  nodes: HostNodeMemoryFact[];
  files: string[];
  notes: string[];
}

/** The process id a file name gives: `12345.numa_maps`, `numa_maps.12345`, `qemu-12345-numa_maps.txt`. */
export function pidOfFileName(file: string): number | null {
  const base = file.replace(/^.*[\\/]/, '');
  const m = /(?:^|\D)(\d{1,9})(?=\D|$)/.exec(base);
  return m ? Number(m[1]) : null;
}

export function combineMemory(files: readonly { file: string; memory: NumaMemoryFile }[]): CombinedMemory {
  const processes = new Map<number, ProcessMemoryFact>();
  const nodeMap = new Map<number, HostNodeMemoryFact>();
  const notes: string[] = [];
  let replacedProcesses = 0;
  let replacedNodes = 0;
  for (const { file, memory } of files) {
    if (memory.replaced > 0)
      notes.push(
        `${file} holds several snapshots: the last one of each process and node is used (${memory.replaced} earlier ${memory.replaced === 1 ? 'one' : 'ones'} ignored)`,
      );
    for (const p of memory.processes) {
      const pid = p.pid ?? pidOfFileName(file);
      if (pid === null) {
        notes.push(
          `${file}: a numa_maps without a process id (no "# pid N" line before it, no number in the file name): not used`,
        );
        continue;
      }
      if (processes.has(pid)) replacedProcesses++;
      processes.set(pid, { ...p, pid, file });
    }
    for (const n of memory.nodes) {
      if (nodeMap.has(n.node)) replacedNodes++;
      nodeMap.set(n.node, { ...n, file });
    }
  }
  if (replacedProcesses > 0)
    notes.push(
      `${replacedProcesses} process${replacedProcesses === 1 ? ' is' : 'es are'} in several memory files: the last file dropped wins`,
    );
  if (replacedNodes > 0)
    notes.push(
      `${replacedNodes} node${replacedNodes === 1 ? ' is' : 's are'} in several host memory files: the last file dropped wins`,
    );
  return {
    processes,
    nodes: [...nodeMap.values()].sort((a, b) => a.node - b.node),
    files: files.map((f) => f.file),
    notes,
  };
}
