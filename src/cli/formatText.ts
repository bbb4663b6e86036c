// Human-readable output of `schedmap analyze`: the run's facts, VM grouping,
// then the per-VM metrics as a table (per vCPU with --vcpus) and per CPU.

import { cell, fixed, thousands } from '../model/format';
import type { RunReport } from '../analysis/report';
import { VM_METRICS, vmMetricsFor, type VmMetricDef } from '../analysis/catalogue';
import { cliCell, cliHead } from '../analysis/metricText';
import { recordingHostText } from '../analysis/recordingHost';
import { formatCannotShow } from '../analysis/windowEvents';
import { warningKindText } from '../analysis/warningBias';
import { cpuListText } from '../model/cpuList';
import { vcpuListText } from './vcpuList';

const EVENT_NAMES = { wakeups: 'wakeup', migrations: 'migrate', kvmExits: 'kvm' } as const;

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

const num = cell;

interface Column<R> {
  head: string;
  cell: (r: R) => string;
  /** Left-aligned (text) rather than right-aligned (numbers); the first column always is. */
  left?: boolean;
}

function table<R>(rows: R[], columns: Column<R>[], indent = '  '): string[] {
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.head.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]): string =>
    indent +
    vals
      .map((v, i) => (i === 0 || columns[i].left ? pad(v, widths[i]) : lpad(v, widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.head)), ...cells.map(line)];
}

type Vm = RunReport['vms'][number];
type Vcpu = Vm['vcpus'][number];

/** A catalogue metric as a column of the VM table (the report's VM entry holds its topology fields too). */
const metricColumn = (m: VmMetricDef): Column<Vm> => ({
  head: cliHead(m),
  cell: (v) => cliCell(m.unit, m.value({ vm: v, topology: v })),
});

const VM_COLUMNS: Column<Vm>[] = [
  { head: 'VM', cell: (v) => v.name },
  { head: 'vCPUs', cell: (v) => String(v.vcpuCount) },
  ...vmMetricsFor(false).map(metricColumn),
];

const VCPU_COLUMNS: Column<Vcpu>[] = [
  { head: '  vCPU', cell: (v) => `  ${v.index} ${v.comm}:${v.tid}` },
  ...vmMetricsFor(false).flatMap((m): Column<Vcpu>[] => {
    const part = m.vcpu;
    if (!part) return [];
    const head = cliHead({ ...m, label: part.label, unit: part.unit });
    return [{ head, cell: (v) => cliCell(part.unit, part.value({ vcpu: v, topology: v, cpus: 0 })) }];
  }),
];

const TOPOLOGY_VM_COLUMNS: Column<Vm>[] = [
  { head: 'VM', cell: (v) => v.name },
  { head: 'home node', cell: (v) => (v.homeNode === null || v.homeNode === undefined ? '-' : String(v.homeNode)) },
  ...VM_METRICS.filter((m) => m.topology).map(metricColumn),
];

type Node = NonNullable<RunReport['nodes']>[number];

/** The topology section: one line about the host, per-VM placement, per-node load. */
function topologyLines(s: RunReport): string[] {
  const t = s.topology;
  if (!t || !s.nodes) return [];
  const parts = [`${t.nodes} node${t.nodes === 1 ? '' : 's'}`];
  if (t.sockets !== null) parts.push(`${t.sockets} socket${t.sockets === 1 ? '' : 's'}`);
  if (t.cores !== null) parts.push(`${t.cores} core${t.cores === 1 ? '' : 's'}`);
  parts.push(`${t.cpus} CPUs`);
  if (t.threadsPerCore !== null && t.threadsPerCore > 1) parts.push(`${t.threadsPerCore} threads per core`);
  if (t.threadsPerCore === null) parts.push('no core information (SMT unknown)');
  const out = [`  topology${t.file ? ` (${t.file}, ${t.source})` : ` (${t.source})`}: ${parts.join(', ')}`];
  if (s.vms.length > 0) out.push(...table(s.vms, TOPOLOGY_VM_COLUMNS));
  out.push('');
  out.push(
    ...table(s.nodes, [
      { head: 'node', cell: (n: Node) => String(n.node) },
      { head: 'CPUs', cell: (n: Node) => cpuListText(n.cpus) || '-' },
      { head: 'busy', cell: (n: Node) => num(n.busyFraction, 3) },
      {
        head: 'VMs (vCPU run ms)',
        left: true,
        cell: (n: Node) =>
          n.vms.length === 0 ? '-' : n.vms.map((v) => `${v.name} ${fixed(v.runUs / 1000, 1)}`).join(', '),
      },
    ]),
  );
  return out;
}

/** The memory section: per VM its MB per node beside its vCPU run time per node; the host's nodes; notes. */
function memoryLines(s: RunReport): string[] {
  const mem = s.memory;
  if (!mem) return [];
  const nodeSet = new Set<number>();
  for (const v of s.vms) {
    for (const n of v.memoryByNode ?? []) nodeSet.add(n.node);
    for (const n of v.cpuTimeByNode ?? []) nodeSet.add(n.node);
  }
  const nodes = [...nodeSet].sort((a, b) => a - b);
  const out = [`  memory (${mem.files.join(', ')}): MB per node of each VM's QEMU process, vCPU run time per node`];
  const mb = (v: Vm, node: number): string => {
    if (!v.memoryByNode) return '-';
    return fixed(v.memoryByNode.find((n) => n.node === node)?.mb ?? 0, 1);
  };
  const ms = (v: Vm, node: number): string => {
    const r = v.cpuTimeByNode?.find((n) => n.node === node);
    return r ? fixed(r.runUs / 1000, 1) : '-';
  };
  if (s.vms.length > 0 && nodes.length > 0)
    out.push(
      ...table(s.vms, [
        { head: 'VM', cell: (v: Vm) => v.name },
        { head: 'pid', cell: (v: Vm) => String(v.tgid ?? '?') },
        ...nodes.map((node) => ({ head: `node ${node} MB`, cell: (v: Vm) => mb(v, node) })),
        ...(s.topology ? nodes.map((node) => ({ head: `node ${node} run ms`, cell: (v: Vm) => ms(v, node) })) : []),
        {
          head: 'memory home',
          cell: (v: Vm) =>
            v.memoryHomeNode === null || v.memoryHomeNode === undefined ? '-' : String(v.memoryHomeNode),
        },
        ...(s.topology ? [{ head: 'run next to memory', cell: (v: Vm) => num(v.localRunFraction ?? null, 3) }] : []),
      ]),
    );
  if (mem.nodes.length > 0) {
    out.push('');
    out.push(
      ...table(mem.nodes, [
        { head: 'node', cell: (n) => String(n.node) },
        { head: 'total MB', cell: (n) => (n.totalMb === null ? '-' : fixed(n.totalMb, 1)) },
        { head: 'used MB', cell: (n) => (n.usedMb === null ? '-' : fixed(n.usedMb, 1)) },
        { head: 'free MB', cell: (n) => (n.freeMb === null ? '-' : fixed(n.freeMb, 1)) },
        {
          head: 'huge total/free',
          cell: (n) =>
            n.hugeTotal === null ? '-' : `${fixed(n.hugeTotal, 0)}/${fixed(n.hugeFree ?? 0, 0)} ${n.hugeUnit}`,
        },
      ]),
    );
  }
  if (!s.topology)
    out.push('  memory note: run next to memory needs the host topology: drop `lscpu -p` or `numactl -H` output');
  for (const note of mem.notes) out.push(`  memory note: ${note}`);
  return out;
}

export function formatReportText(s: RunReport, withVcpus = false): string {
  const lines: string[] = [];
  lines.push(`${s.file}: ${s.formatDetail}`);
  if (s.recordedOn) {
    const host = recordingHostText(s.recordedOn);
    if (host !== '') lines.push(`  recorded on: ${host}`);
    if (s.recordedOn.cmdline) lines.push(`  recorded by: ${s.recordedOn.cmdline}`);
  }
  // What the format cannot carry is n/a, not 0 (windowEvents is null for it).
  const na = (x: number | null, whole: number): string => (x === null ? 'n/a' : thousands(whole));
  const countOrNa = (x: number | null): string => (x === null ? 'n/a' : thousands(x));
  const w = s.windowEvents;
  lines.push(
    `  ${thousands(s.switches)} switches${s.inferredSwitches > 0 ? ` (and ${thousands(s.inferredSwitches)} inferred)` : ''} on ${s.cpus} CPUs over ${fixed(s.durationSec, 6)} s, ${thousands(s.tasks)} tasks switched in` +
      `, ${na(w.wakeups, s.wakeups)} wakeups, ${na(w.migrations, s.migrations)} migrations` +
      `, ${na(w.kvmExits, s.kvmExits)} kvm exits`,
  );
  const absent = formatCannotShow(s.format);
  if (absent.length > 0)
    lines.push(`  n/a: ${s.formatDetail} carries no ${absent.map((k) => EVENT_NAMES[k]).join(', ')} events`);
  lines.push(`  ${num(s.switchesPerSecPerCpu)} switches/s per CPU in the analysed window`);
  const whole = w.switches === s.switches && s.window.cpus.length === s.cpus;
  lines.push(
    `  analysed: ${fixed(s.window.startUs / 1e6, 6)} s to ${fixed(s.window.endUs / 1e6, 6)} s after the first event, ` +
      `CPUs ${cpuListText(s.window.cpus) || '-'}` +
      (whole
        ? ' (the whole trace)'
        : `: ${thousands(w.switches)} switches, ${thousands(w.tasks)} tasks switched in, ${countOrNa(w.wakeups)} wakeups, ` +
          `${countOrNa(w.migrations)} migrations, ${countOrNa(w.kvmExits)} kvm exits`),
  );
  if (s.companions.length > 0) lines.push(`  companions: ${s.companions.join(', ')}`);
  if (s.skippedLines > 0) lines.push(`  ${thousands(s.skippedLines)} lines skipped`);
  if (s.ambiguousLines > 0) lines.push(`  ${thousands(s.ambiguousLines)} lines read by a guess (ambiguous)`);
  if (s.lostEvents.length > 0) lines.push(`  lost events: ${s.lostEvents.map((l) => l.message).join('; ')}`);
  lines.push('');
  if (s.vms.length === 0) lines.push('  no VM vCPU threads found (no `CPU n/KVM`-style thread names or KVM events)');
  for (const vm of s.vms) {
    const how = `${vm.grouping}${vm.ambiguous ? ', AMBIGUOUS' : ''}${vm.vcpusEstimated ? ', vCPUs ESTIMATED' : ''}`;
    lines.push(`  ${pad(vm.name, 14)} tgid ${vm.tgid ?? '?'}  grouped by ${how}: ${vcpuListText(vm.vcpus)}`);
    if (vm.otherThreads.length > 0)
      lines.push(
        `      other threads: ${vm.otherThreads.map((t) => `${t.comm}:${t.tid}${t.guessed ? ' (guess)' : ''}`).join(', ')}`,
      );
    for (const note of [vm.ambiguityReason, vm.estimateReason, vm.otherThreadsGuessReason])
      if (note) lines.push(`      note: ${note}`);
  }
  for (const note of s.vmNotes) lines.push(`  VM note: ${note}`);
  if (s.vms.length > 0) {
    lines.push('');
    lines.push(...table(s.vms, VM_COLUMNS));
    if (withVcpus) {
      for (const vm of s.vms) {
        lines.push('');
        lines.push(`  ${vm.name}`);
        lines.push(...table(vm.vcpus, VCPU_COLUMNS));
      }
    }
  }
  const balancing = s.vms.filter((v) => (v.numaBalancingPerSec ?? 0) > 0);
  if (balancing.length > 0) {
    lines.push('', '  NUMA balancing (events/s about its threads):');
    for (const v of balancing) {
      const r = v.numaBalancingEventsPerSec;
      lines.push(
        `    ${pad(v.name, 14)} move ${num(r?.move ?? null)}, swap ${num(r?.swap ?? null)}, stick ${num(r?.stick ?? null)}, ` +
          `mm_migrate_pages ${num(r?.migratePages ?? null)} (${num(v.numaMigratedPagesPerSec ?? null)} pages/s)`,
      );
    }
  }
  if (s.topology && s.nodes) lines.push('', ...topologyLines(s));
  if (s.memory) lines.push('', ...memoryLines(s));
  lines.push('');
  lines.push(
    ...table(s.perCpu, [
      { head: 'CPU', cell: (c) => String(c.cpu) },
      { head: 'switches', cell: (c) => String(c.switches) },
      { head: 'switches/s', cell: (c) => num(c.switchesPerSec) },
      { head: 'idle', cell: (c) => num(c.idleFraction, 3) },
    ]),
  );
  if (s.warningSummary.length > 0) {
    lines.push('');
    lines.push('  warning kinds (README "Warning kinds"):');
    for (const e of s.warningSummary) {
      const t = warningKindText(e);
      lines.push(`    ${t.head}, ${t.lines}; ${t.biases}`);
    }
  }
  if (s.warnings.length > 0) {
    lines.push('');
    lines.push(
      `  warnings (${thousands(s.warningCount)}${s.warningCount > s.warnings.length ? `, first ${thousands(s.warnings.length)} kept` : ''}):`,
    );
    for (const w of s.warnings.slice(0, 20)) lines.push(`    line ${w.line}: ${w.message}`);
    if (s.warningCount > 20) lines.push(`    … ${thousands(s.warningCount - 20)} more (see --json)`);
  }
  return lines.join('\n');
}

