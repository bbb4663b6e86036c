// numastat (numactl's tool) memory tables, in MB, alone or several in one file (`numastat -m -p qemu`, a loop):
//   Per-node process memory usage (in MBs) for PID 4106 (bash)      one process: Huge, Heap, Stack, Private, Total
//                              Node 0          Node 1           Total
//   Huge                         0.00            0.00            0.00
//   Per-node process memory usage (in MBs)                          several (`-p qemu`): one row per process
//   PID                        Node 0           Total
//   1141 (bash)                  4.09            4.09               `-c` narrows columns and cuts the name: `24463 (qemu_hotr`
//   Per-node system memory usage (in MBs):                          -m: meminfo per node (MemTotal, MemFree, ...)
// `-z` leaves out all-zero node columns: the header says which nodes are shown. numastat prints
// `Token X not in hash table.` on stderr for meminfo keys it does not know; with 2>&1 they sit in the file.

import type { LineMessage } from '../../model/types';
import type { HostNodeMemory, NodeMb, NumaMemoryFile, ProcessMemory } from '../../model/numaMemory';
import { textLines } from './result';
import { thousands } from '../../model/format';

const TITLE = /^\s*Per-node (process|system) memory usage \(in MBs\)(?: for PID (\d+) \((.*)\))?:?\s*$/;
const OTHER_TITLE = /^\s*Per-node numastat info \(in MBs\):?\s*$/;
const TOKEN_LINE = /^Token \S+ not in hash table\.$/;
const PROMPT = /^\s*(\$|#)\s/;
const SEPARATOR = /^[\s-]+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export function sniffNumastat(lines: readonly string[]): boolean {
  return lines.some((l) => TITLE.test(l));
}

type Table =
  | { kind: 'one'; pid: number; comm: string; line: number; nodes: number[] | null; rows: Map<string, number[]> }
  | { kind: 'many'; line: number; nodes: number[] | null }
  | { kind: 'system'; line: number; nodes: number[] | null; rows: Map<string, number[]> }
  | { kind: 'other'; line: number };

/** Node numbers of a column header (`Node 0  Node 1  Total`, `PID  Node 0 Total`), null when it is none. */
function headerNodes(line: string): number[] | null {
  if (!/\bTotal\s*$/.test(line)) return null;
  const nodes = [...line.matchAll(/\bNode (\d+)\b/g)].map((m) => Number(m[1]));
  return nodes.length > 0 ? nodes : null;
}

/** A data row: its label and the numbers of its node columns and Total, or an error. */
function dataRow(line: string, columns: number): { label: string; values: number[] } | { error: string } {
  const tokens = line.trim().split(/\s+/);
  if (tokens.length < columns + 1) return { error: `expected a name and ${columns} numbers` };
  const numbers = tokens.slice(tokens.length - columns);
  const bad = numbers.find((t) => !NUMBER.test(t));
  if (bad !== undefined) return { error: `"${bad}" is not a number of MB` };
  return { label: tokens.slice(0, tokens.length - columns).join(' '), values: numbers.map(Number) };
}

function byNode(nodes: readonly number[], values: readonly number[]): NodeMb[] {
  return nodes.map((node, i) => ({ node, mb: values[i] })).sort((a, b) => a.node - b.node);
}

export function parseNumastat(text: string): { memory: NumaMemoryFile; warnings: LineMessage[] } {
  const warnings: LineMessage[] = [];
  const processes = new Map<number, ProcessMemory>();
  const nodes = new Map<number, HostNodeMemory>();
  let replaced = 0;
  let stderrLines = 0;
  let prompts = 0;
  let table: Table | null = null;

  const putProcess = (p: ProcessMemory & { pid: number }): void => {
    if (processes.has(p.pid)) replaced++;
    processes.set(p.pid, p);
  };
  const close = (): void => {
    if (table?.kind === 'one') closeOne(table);
    if (table?.kind === 'system') closeSystem(table);
    table = null;
  };
  const closeOne = (t: Extract<Table, { kind: 'one' }>): void => {
    if (!t.nodes) {
      warnings.push({ line: t.line, message: `the table of PID ${t.pid} has no "Node N … Total" header: not used` });
      return;
    }
    const total = t.rows.get('Total');
    if (!total) {
      warnings.push({ line: t.line, message: `the table of PID ${t.pid} has no Total row (cut short?): not used` });
      return;
    }
    const huge = t.rows.get('Huge');
    putProcess({
      pid: t.pid,
      comm: t.comm,
      byNode: byNode(t.nodes, total),
      hugeByNode: huge ? byNode(t.nodes, huge) : null,
      line: t.line,
    });
  };
  const closeSystem = (t: Extract<Table, { kind: 'system' }>): void => {
    if (!t.nodes) return;
    const at = (key: string, i: number): number | null => t.rows.get(key)?.[i] ?? null;
    t.nodes.forEach((node, i) => {
      if (nodes.has(node)) replaced++;
      nodes.set(node, {
        node,
        totalMb: at('MemTotal', i),
        freeMb: at('MemFree', i),
        usedMb: at('MemUsed', i),
        hugeTotal: at('HugePages_Total', i),
        hugeFree: at('HugePages_Free', i),
        hugeUnit: 'MB',
        line: t.line,
      });
    });
  };

  textLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const title = TITLE.exec(raw);
    if (title) {
      close();
      if (title[1] === 'system') table = { kind: 'system', line, nodes: null, rows: new Map() };
      else if (title[2] !== undefined)
        table = { kind: 'one', pid: Number(title[2]), comm: title[3], line, nodes: null, rows: new Map() };
      else table = { kind: 'many', line, nodes: null };
      return;
    }
    if (OTHER_TITLE.test(raw)) {
      close();
      table = { kind: 'other', line };
      warnings.push({ line, message: 'numastat -n (allocation counters, not memory in place): table skipped' });
      return;
    }
    if (TOKEN_LINE.test(raw.trim())) {
      stderrLines++;
      return;
    }
    if (PROMPT.test(raw)) {
      prompts++;
      return;
    }
    if (/^\s*Found no processes containing pattern/.test(raw)) {
      warnings.push({ line, message: raw.trim() });
      return;
    }
    const t = table as Table | null;
    if (!t) {
      warnings.push({ line, message: 'line skipped: before any "Per-node … memory usage (in MBs)" title' });
      return;
    }
    if (t.kind === 'other') return;
    if (SEPARATOR.test(raw)) return;
    if (!t.nodes) {
      t.nodes = headerNodes(raw);
      if (!t.nodes) warnings.push({ line, message: 'line skipped: expected the "Node N … Total" column header' });
      return;
    }
    const row = dataRow(raw, t.nodes.length + 1);
    if ('error' in row) {
      warnings.push({ line, message: `line skipped: ${row.error}` });
      return;
    }
    if (t.kind === 'many') {
      if (row.label === 'Total') return;
      const m = /^(\d+)(?:\s+\((.*?)\)?)?$/.exec(row.label);
      if (!m) {
        warnings.push({ line, message: `line skipped: "${row.label}" is not "PID (command)"` });
        return;
      }
      putProcess({
        pid: Number(m[1]),
        comm: m[2] ?? null,
        byNode: byNode(t.nodes, row.values),
        hugeByNode: null,
        line,
      });
      return;
    }
    if (t.rows.has(row.label))
      warnings.push({ line, message: `row ${row.label} is listed again: this later one wins` });
    t.rows.set(row.label, row.values);
  });
  close();
  if (stderrLines > 0)
    warnings.push({
      line: 1,
      message: `${thousands(stderrLines)} "Token … not in hash table." line${stderrLines === 1 ? '' : 's'} (numastat's stderr) skipped`,
    });
  if (prompts > 0)
    warnings.push({ line: 1, message: `${thousands(prompts)} shell prompt line${prompts === 1 ? '' : 's'} ($ or # …) skipped` });
  if (processes.size === 0 && nodes.size === 0)
    warnings.push({ line: 1, message: 'no numastat memory table with numbers in it: nothing to use' });
  return {
    memory: {
      format: 'numastat',
      processes: [...processes.values()],
      nodes: [...nodes.values()].sort((a, b) => a.node - b.node),
      replaced,
    },
    warnings,
  };
}
