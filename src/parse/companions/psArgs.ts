// Process listings with command lines: `ps -eo pid,args` (also `ps -ef`, `ps aux`, `ps -eo pid,comm`):
// a header with PID and, last, COMMAND / CMD / ARGS, and no thread column (those are thread listings,
// src/parse/companions.ts). Each QEMU process (its program qemu-system-*, qemu-kvm, qemu or kvm) gives
// its pid, its VM name from `-name guest=NAME,…` (or `-name NAME`) and its vCPU count from `-smp`.
// Other processes are left out; lines that are no process line (`...[snip]...`) are counted.

import type { LineMessage } from '../../model/types';
import type { VmFact } from '../../model/vmFacts';
import { isQemuProgram } from '../../model/vcpuNames';
import { emptyFact, textLines, type FactsResult } from './result';
import { thousands } from '../../model/format';

const COMMAND = new Set(['COMMAND', 'CMD', 'ARGS', 'COMM']);
const THREAD_COLUMN = new Set(['TID', 'LWP', 'SPID']);
const HEADER_TOKEN = /^[A-Z%][A-Z0-9%_+-]*$/;

interface Layout {
  columns: number;
  pid: number;
}

function header(line: string): Layout | null {
  const tokens = line.trim().split(/\s+/);
  if (tokens.length < 2 || !tokens.every((t) => HEADER_TOKEN.test(t))) return null;
  if (!COMMAND.has(tokens[tokens.length - 1]) || tokens.some((t) => THREAD_COLUMN.has(t))) return null;
  const pid = tokens.indexOf('PID');
  return pid < 0 || pid === tokens.length - 1 ? null : { columns: tokens.length, pid };
}

/** pid and command of a process line, or null. */
function processLine(line: string, layout: Layout): { pid: number; command: string } | null {
  const m = new RegExp(`^\\s*((?:\\S+\\s+){${layout.columns - 1}})(.*\\S)\\s*$`).exec(line);
  if (!m) return null;
  const pid = m[1].trim().split(/\s+/)[layout.pid];
  return /^\d+$/.test(pid) ? { pid: Number(pid), command: m[2] } : null;
}

export function sniffPsArgs(lines: readonly string[]): boolean {
  const used = lines.filter((l) => l.trim() !== '');
  const layout = used.length > 0 ? header(used[0]) : null;
  if (!layout) return false;
  // The header says it; one process line confirms it (pasted listings carry `...[snip]...` lines).
  return used.slice(1).some((l) => processLine(l, layout));
}

export function parsePsArgs(text: string): FactsResult {
  const warnings: LineMessage[] = [];
  const facts: VmFact[] = [];
  let layout: Layout | null = null;
  let skipped = 0;
  let firstSkipped = 0;
  textLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const h = header(line);
    if (h) {
      layout = h;
      return;
    }
    const p = layout ? processLine(line, layout) : null;
    if (!p) {
      if (skipped++ === 0) firstSkipped = i + 1;
      return;
    }
    const argv = p.command.split(/\s+/);
    if (!isQemuProgram(argv[0])) return;
    facts.push({ ...emptyFact(), pid: p.pid, name: nameOption(argv), vcpuCount: smpOption(argv, i + 1, warnings) });
  });
  if (skipped > 0)
    warnings.push({
      line: firstSkipped,
      message: `${thousands(skipped)} line${skipped === 1 ? '' : 's'} that are no "PID … COMMAND" process line skipped`,
    });
  if (facts.length === 0)
    warnings.push({ line: 1, message: 'no QEMU process (qemu-system-*, qemu-kvm) in this ps output' });
  return { format: 'ps-args', facts, warnings };
}

/** The value of an option: `-opt value` or `-opt=value`, also with `--`. */
function option(argv: readonly string[], name: string): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].replace(/^--/, '-');
    if (a === `-${name}`) return argv[i + 1] ?? null;
    if (a.startsWith(`-${name}=`)) return a.slice(name.length + 2);
  }
  return null;
}

/** QEMU's key=value,… option syntax; `,,` is a literal comma. The first bare value is the implied key's. */
function keyValues(s: string): { implied: string | null; map: Map<string, string> } {
  const parts: string[] = [''];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== ',') parts[parts.length - 1] += s[i];
    else if (s[i + 1] === ',') parts[parts.length - 1] += s[i++];
    else parts.push('');
  }
  const map = new Map<string, string>();
  let implied: string | null = null;
  parts.forEach((p, i) => {
    const eq = p.indexOf('=');
    if (eq < 0) {
      if (i === 0) implied = p;
    } else map.set(p.slice(0, eq), p.slice(eq + 1));
  });
  return { implied, map };
}

function nameOption(argv: readonly string[]): string | null {
  const v = option(argv, 'name');
  if (v === null) return null;
  const { implied, map } = keyValues(v);
  const name = map.get('guest') ?? implied;
  return name !== null && name !== undefined && name !== '' ? name : null;
}

/** Online vCPUs of `-smp [cpus=]N[,maxcpus=M][,sockets=…,cores=…,threads=…]`. */
function smpOption(argv: readonly string[], line: number, warnings: LineMessage[]): number | null {
  const v = option(argv, 'smp');
  if (v === null) return null;
  const { implied, map } = keyValues(v);
  const cpus = map.get('cpus') ?? implied;
  if (cpus !== null && cpus !== undefined) {
    if (/^\d+$/.test(cpus) && Number(cpus) > 0) return Number(cpus);
  } else {
    // No count: QEMU takes the product of the topology it is given.
    const keys = ['sockets', 'dies', 'clusters', 'cores', 'threads'].filter((k) => map.has(k));
    const values = keys.map((k) => Number(map.get(k)));
    if (keys.length > 0 && values.every((x) => Number.isInteger(x) && x > 0)) return values.reduce((a, b) => a * b, 1);
  }
  warnings.push({ line, message: `-smp ${v}: no vCPU count read from it` });
  return null;
}
