// A numastat companion for a simulated run (`schedmap synth --nodes N --memory …`): each VM's QEMU process with
// its memory placed by the rule, printed as `numastat -p qemu` prints its multi-process table, so the app and
// `analyze` show memory against the simulated vCPU placement.
//   home   all of VM v's memory on its home node (v mod N), where the numa policy keeps its vCPUs;
//   node0  all memory on node 0 (the talk's SchedNUMA picture: memory on one node, vCPUs anywhere);
//   spread the memory split evenly over the nodes.

import { fixed } from '../model/format';

export type MemoryPlacement = 'home' | 'node0' | 'spread';
export const MEMORY_PLACEMENTS: readonly MemoryPlacement[] = ['home', 'node0', 'spread'];

/** MB of memory per node of VM v. */
export function vmMemoryByNode(v: number, nodes: number, placement: MemoryPlacement, mb: number): number[] {
  const out = new Array<number>(nodes).fill(0);
  if (placement === 'spread') out.fill(mb / nodes);
  else out[placement === 'home' ? v % nodes : 0] = mb;
  return out;
}

/** A table cell as numastat prints it: 2 decimals right-aligned in 15 columns. */
const cell = (x: number): string => fixed(x, 2).padStart(15);

/** The `numastat -p qemu` text of the VMs (their QEMU pids), each holding `mbPerVcpu` MB per vCPU. */
export function numastatText(
  vms: readonly { pid: number; vcpus: number }[],
  nodes: number,
  placement: MemoryPlacement,
  mbPerVcpu = 1024,
): string {
  const dash = '-'.repeat(15);
  const rows = vms.map((vm, v) => ({
    label: `${vm.pid} (qemu-system-x86)`,
    mb: vmMemoryByNode(v, nodes, placement, vm.vcpus * mbPerVcpu),
  }));
  const total = new Array<number>(nodes).fill(0);
  for (const r of rows) r.mb.forEach((x, n) => (total[n] += x));
  const line = (label: string, mb: number[]): string =>
    `${label.slice(0, 16).padEnd(16)}  ${mb.map(cell).join(' ')} ${cell(mb.reduce((a, b) => a + b, 0))}`;
  const head = `${'PID'.padEnd(16)}  ${Array.from({ length: nodes }, (_, n) => `Node ${n}`.padStart(15)).join(' ')} ${'Total'.padStart(15)}`;
  const sep = `${'-'.repeat(16)}  ${Array.from({ length: nodes + 1 }, () => dash).join(' ')}`;
  return [
    '',
    'Per-node process memory usage (in MBs)',
    head,
    sep,
    ...rows.map((r) => line(r.label, r.mb)),
    sep,
    line('Total', total),
    '',
  ].join('\n');
}
