// HMP `info cpus`: `virsh qemu-monitor-command --hmp DOMAIN 'info cpus'` (CRLF line ends), or a
// monitor transcript with its `(qemu)` prompts. One line per vCPU, `*` on the monitor's current one:
//   * CPU #0: thread_id=10967                                  QEMU >= 2.12 (shorter form)
//     CPU #1: thread_id=42916 (cortex-r5f)                     QEMU >= 10.1 (CPU model appended)
//   * CPU #0: pc=0xffffffff8105ea06 (halted) thread_id=21209   QEMU < 2.12
// One answer is one VM's; its name comes from the file name (src/model/vmFacts.ts).

import type { LineMessage } from '../../model/types';
import { emptyFact, onePerThread, textLines, type FactsResult } from './result';
import { thousands } from '../../model/format';

const CPU_LINE = /^\s*\*?\s*CPU #(\d+):(.*)$/;
const THREAD_ID = /(?:^|\s)thread_id=(\d+)(?=\s|$)/;
/** Lines of a monitor session that are no answer: prompts, the banner, the shell command that started it. */
const SESSION_LINE = /^\s*(\(qemu\)|QEMU \S+ monitor - type 'help'|\$ |# )/;

export function sniffHmpCpus(lines: readonly string[]): boolean {
  const used = lines.filter((l) => l.trim() !== '');
  const cpus = used.filter((l) => CPU_LINE.test(l) && THREAD_ID.test(l)).length;
  const session = used.filter((l) => SESSION_LINE.test(l)).length;
  return cpus > 0 && cpus + session >= used.length / 2;
}

/** The `CPU #n: … thread_id=T` lines of an answer, with their line numbers. */
export function hmpCpuLines(
  lines: readonly string[],
  firstLine: number,
  warnings: LineMessage[],
): { index: number; tid: number; line: number }[] {
  const out: { index: number; tid: number; line: number }[] = [];
  let other = 0;
  let firstOther = 0;
  lines.forEach((text, i) => {
    const line = firstLine + i;
    if (text.trim() === '' || SESSION_LINE.test(text)) return;
    const m = CPU_LINE.exec(text);
    if (!m) {
      if (other++ === 0) firstOther = line;
      return;
    }
    const t = THREAD_ID.exec(m[2]);
    if (!t) {
      warnings.push({ line, message: `CPU #${m[1]} has no thread_id= (QEMU before 1.1 does not print it): skipped` });
      return;
    }
    out.push({ index: Number(m[1]), tid: Number(t[1]), line });
  });
  if (other > 0)
    warnings.push({
      line: firstOther,
      message: `${thousands(other)} line${other === 1 ? '' : 's'} that are no "CPU #n: thread_id=…" line skipped`,
    });
  return out;
}

export function parseHmpCpus(text: string): FactsResult {
  const warnings: LineMessage[] = [];
  const cpus = hmpCpuLines(textLines(text), 1, warnings);
  if (cpus.length === 0) return { format: 'hmp-cpus', facts: [], warnings: [...warnings, noCpus()] };
  return { format: 'hmp-cpus', facts: [{ ...emptyFact(), vcpus: onePerThread(cpus, warnings) }], warnings };
}

function noCpus(): LineMessage {
  return { line: 1, message: 'no "CPU #n: thread_id=…" line: this answer lists no vCPU thread' };
}
