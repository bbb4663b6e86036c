// Human-readable output of `schedmap analyze`.

import type { TraceSummary } from '../analysis/summary';

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function formatSummaryText(s: TraceSummary): string {
  const lines: string[] = [];
  lines.push(`${s.file}: ${s.formatDetail}`);
  lines.push(
    `  ${s.switches} switches on ${s.cpus} CPUs over ${s.durationSec.toFixed(6)} s, ${s.tasks} tasks switched in` +
      `, ${s.wakeups} wakeups, ${s.migrations} migrations, ${s.kvmExits} kvm exits`,
  );
  if (s.companions.length > 0) lines.push(`  companions: ${s.companions.join(', ')}`);
  if (s.skippedLines > 0) lines.push(`  ${s.skippedLines} lines skipped`);
  if (s.ambiguousLines > 0) lines.push(`  ${s.ambiguousLines} lines read by a guess (ambiguous)`);
  if (s.lostEvents.length > 0) lines.push(`  lost events: ${s.lostEvents.map((l) => l.message).join('; ')}`);
  lines.push('');
  if (s.vms.length === 0) lines.push('  no VM vCPU threads found (no `CPU n/KVM`-style thread names or KVM events)');
  for (const vm of s.vms) {
    const how = `${vm.grouping}${vm.ambiguous ? ', AMBIGUOUS' : ''}`;
    lines.push(`  ${pad(vm.name, 14)} tgid ${vm.tgid ?? '?'}  grouped by ${how}  ${vm.vcpus.length} vCPUs`);
    for (const v of vm.vcpus) lines.push(`      vCPU ${pad(String(v.index), 3)} tid ${pad(String(v.tid), 8)} ${v.comm}`);
    if (vm.otherThreads.length > 0)
      lines.push(`      other threads: ${vm.otherThreads.map((t) => `${t.comm}:${t.tid}`).join(', ')}`);
    if (vm.ambiguityReason) lines.push(`      note: ${vm.ambiguityReason}`);
  }
  if (s.warnings.length > 0) {
    lines.push('');
    lines.push(`  warnings (${s.warningCount}${s.warningCount > s.warnings.length ? `, first ${s.warnings.length} shown` : ''}):`);
    for (const w of s.warnings.slice(0, 20)) lines.push(`    line ${w.line}: ${w.message}`);
    if (s.warnings.length > 20) lines.push(`    … ${s.warningCount - 20} more (see --json)`);
  }
  return lines.join('\n');
}
