// QMP `query-cpus-fast` (QEMU >= 2.12; `virsh qemu-monitor-command DOMAIN '{"execute":"query-cpus-fast"}'`,
// with or without --pretty): {"return": [{"cpu-index": 0, "thread-id": 1234, …}, …], "id": …}.
// Also read: the removed `query-cpus` (QEMU < 6.0: "CPU", "thread_id"), a raw QMP session (one JSON
// object a line: greeting, qmp_capabilities answer, the answer), and `info cpus` sent through
// human-monitor-command ({"return": "* CPU #0: thread_id=…\r\n…"}). One answer is one VM's.

import type { LineMessage } from '../../model/types';
import { hmpCpuLines } from './hmpCpus';
import { emptyFact, onePerThread, textLines, type FactsResult } from './result';
import { thousands } from '../../model/format';

const THREAD_KEY = /"thread[-_]id"\s*:/;

export function sniffQmpCpus(lines: readonly string[]): boolean {
  const used = lines.filter((l) => l.trim() !== '');
  if (used.length === 0 || !used[0].trimStart().startsWith('{')) return false;
  const text = used.join('\n');
  return /"return"\s*:/.test(text) && (THREAD_KEY.test(text) || /thread_id=\d/.test(text));
}

interface Entry {
  index: number;
  tid: number;
  line: number;
}

export function parseQmpCpus(text: string): FactsResult {
  const warnings: LineMessage[] = [];
  const lines = textLines(text);
  const docs = jsonDocuments(text, lines, warnings);
  const entries: Entry[] = [];
  for (const { value, line } of docs) entries.push(...answerEntries(value, line, lines, warnings));
  if (entries.length === 0) {
    if (docs.length > 0)
      warnings.push({ line: 1, message: 'no "return" list of vCPUs with a thread-id in this QMP answer' });
    return { format: 'qmp-cpus', facts: [], warnings };
  }
  return { format: 'qmp-cpus', facts: [{ ...emptyFact(), vcpus: onePerThread(entries, warnings) }], warnings };
}

/** The whole text as one JSON value, else one value per line (a QMP session); unreadable lines are warned. */
function jsonDocuments(text: string, lines: string[], warnings: LineMessage[]): { value: unknown; line: number }[] {
  try {
    return [{ value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), line: 1 }];
  } catch (whole) {
    const out: { value: unknown; line: number }[] = [];
    const bad: number[] = [];
    lines.forEach((l, i) => {
      if (l.trim() === '') return;
      try {
        out.push({ value: JSON.parse(l), line: i + 1 });
      } catch {
        bad.push(i + 1);
      }
    });
    if (out.length === 0) {
      warnings.push({ line: lineOfError(whole, text), message: `not valid JSON: ${(whole as Error).message}` });
      return [];
    }
    if (bad.length > 0)
      warnings.push({
        line: bad[0],
        message: `${thousands(bad.length)} line${bad.length === 1 ? '' : 's'} that are not JSON skipped`,
      });
    return out;
  }
}

function lineOfError(e: unknown, text: string): number {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  if (!m) return 1;
  const pos = Math.min(Number(m[1]), text.length);
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function answerEntries(value: unknown, line: number, lines: string[], warnings: LineMessage[]): Entry[] {
  if (value === null || typeof value !== 'object' || !('return' in value)) return [];
  const ret = (value as { return: unknown }).return;
  // info cpus through human-monitor-command: the answer is the HMP text.
  if (typeof ret === 'string') return hmpCpuLines(textLines(ret), line, warnings).map((e) => ({ ...e, line }));
  if (!Array.isArray(ret)) return [];
  const out: Entry[] = [];
  ret.forEach((cpu: unknown, k) => {
    const c = (cpu ?? {}) as Record<string, unknown>;
    const index = c['cpu-index'] ?? c.CPU;
    const tid = c['thread-id'] ?? c.thread_id;
    const at = entryLine(lines, line, k);
    if (!isId(index) || !isId(tid)) {
      warnings.push({
        line: at,
        message: `return[${k}] has no ${isId(index) ? 'thread-id' : 'cpu-index'} number: skipped`,
      });
      return;
    }
    out.push({ index, tid, line: at });
  });
  return out;
}

const isId = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

const INDEX_KEY = /"(?:cpu-index|CPU)"\s*:/;

/** The line of the k-th entry's index in a pretty-printed answer (the answer's line when on one line). */
function entryLine(lines: string[], first: number, k: number): number {
  let seen = 0;
  for (let i = first - 1; i < lines.length; i++) {
    const n = lines[i].split(INDEX_KEY).length - 1;
    if (seen + n > k) return i + 1;
    seen += n;
  }
  return first;
}
