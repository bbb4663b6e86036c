// Companion files: dropped with a trace to say which threads belong to which VM.
//
//  - a VM map CSV: `tid,vm[,vcpu]`, with or without a header row (any column order,
//    header names case-insensitive: tid/thread, vm/name/guest, vcpu/index), comma,
//    semicolon or tab delimited;
//  - `ps` thread listings: `ps -eLo pid,tid,comm` (or lwp instead of tid, any column
//    order, extra columns allowed), `ps -T -p PID` (`PID SPID TTY TIME CMD`). The
//    command is the last column and may hold spaces (`CPU 0/KVM`);
//  - what a KVM host has about its VMs (QMP/HMP vCPU threads, ps command lines, libvirt's
//    cgroups and domain XML): src/parse/companions/, one file per format.
//
// Bad rows become warnings with their line numbers; the rest is kept.

import Papa from 'papaparse';
import type { HostTopology } from '../model/topology';
import type { VmFact, VmFactFormat } from '../model/vmFacts';
import type { NumaMemoryFile, NumaMemoryFormat } from '../model/numaMemory';
import { parseVmFacts, sniffVmFacts } from './companions/index';
import { parseMemory, sniffMemory } from './companions/memory';

export interface VmMapRow {
  tid: number;
  vm: string;
  vcpu: number | null;
}

export interface PsThread {
  pid: number;
  tid: number;
  comm: string;
}

export interface CompanionWarning {
  line: number;
  message: string;
}

export type Companion =
  | { kind: 'vm-csv'; rows: VmMapRow[]; warnings: CompanionWarning[] }
  | { kind: 'ps'; threads: PsThread[]; warnings: CompanionWarning[] }
  /** A host topology (`lscpu -p`, `numactl -H`): src/parse/topology.ts. */
  | { kind: 'topology'; topology: HostTopology; warnings: CompanionWarning[] }
  /** What a host has about its VMs: src/parse/companions/. */
  | { kind: 'vm-facts'; format: VmFactFormat; facts: VmFact[]; warnings: CompanionWarning[] }
  /** Memory per NUMA node (numastat, numa_maps, node meminfo): src/parse/companions/memory.ts. */
  | { kind: 'numa-memory'; memory: NumaMemoryFile; warnings: CompanionWarning[] };

export type CompanionKind = 'vm-csv' | 'ps' | VmFactFormat | NumaMemoryFormat;

const MEMORY_FORMATS: readonly string[] = ['numastat', 'numa-maps', 'node-meminfo'] satisfies NumaMemoryFormat[];

function isMemoryFormat(kind: CompanionKind): kind is NumaMemoryFormat {
  return MEMORY_FORMATS.includes(kind);
}

const INTEGER = /^\d+$/;

function normalise(text: string): string {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.indexOf('\r') >= 0 ? text.replace(/\r\n?/g, '\n') : text;
}

// ---- VM map CSV --------------------------------------------------------------------

type CsvColumn = 'tid' | 'vm' | 'vcpu';

const CSV_HEADER_NAMES: Record<string, CsvColumn> = {
  tid: 'tid',
  thread: 'tid',
  thread_id: 'tid',
  'thread id': 'tid',
  threadid: 'tid',
  lwp: 'tid',
  vm: 'vm',
  name: 'vm',
  guest: 'vm',
  vm_name: 'vm',
  'vm name': 'vm',
  vmname: 'vm',
  domain: 'vm',
  vcpu: 'vcpu',
  index: 'vcpu',
  vcpu_index: 'vcpu',
  'vcpu index': 'vcpu',
  vcpu_id: 'vcpu',
};

function csvColumnOf(field: string): CsvColumn | undefined {
  const key = field.trim().replace(/^#\s*/, '').toLowerCase();
  return CSV_HEADER_NAMES[key];
}

interface CsvLayout {
  tid: number;
  vm: number;
  vcpu: number;
}

/** The column layout a header row gives, or null when the row is not a header. */
function csvHeader(fields: string[]): CsvLayout | { error: string } | null {
  if (fields.length === 0 || INTEGER.test(fields[0].trim())) return null;
  const layout: CsvLayout = { tid: -1, vm: -1, vcpu: -1 };
  let known = 0;
  fields.forEach((f, i) => {
    const col = csvColumnOf(f);
    if (col && layout[col] < 0) {
      layout[col] = i;
      known++;
    }
  });
  if (known === 0)
    return { error: `the first row is neither a header (tid, vm, vcpu) nor a tid: "${fields.join(',')}"` };
  if (layout.tid < 0 || layout.vm < 0)
    return { error: `the header has no ${layout.tid < 0 ? 'tid (or thread)' : 'vm (or name, guest)'} column` };
  return layout;
}

interface CsvRowResult {
  row?: VmMapRow;
  error?: string;
  /** A vcpu field that is not a number (the row is kept with vcpu null). */
  vcpuWarning?: string;
}

function csvRow(fields: string[], layout: CsvLayout): CsvRowResult {
  const tid = (fields[layout.tid] ?? '').trim();
  const vm = (fields[layout.vm] ?? '').trim();
  if (!INTEGER.test(tid)) return { error: tid === '' ? 'no tid' : `tid "${tid}" is not a number` };
  if (vm === '') return { error: 'empty vm name' };
  let vcpu: number | null = null;
  let vcpuWarning: string | undefined;
  if (layout.vcpu >= 0) {
    const v = (fields[layout.vcpu] ?? '').trim();
    if (INTEGER.test(v)) vcpu = Number(v);
    else if (v !== '') vcpuWarning = `vcpu "${v}" is not a number; row kept without a vCPU index`;
  }
  return { row: { tid: Number(tid), vm, vcpu }, vcpuWarning };
}

interface CsvRecord {
  fields: string[];
  line: number;
  /** papaparse's own complaint about this row (an open quote, a field count off), or null. */
  error: string | null;
  /** A quote opened in this row is never closed: `fields` is the row's line, whole. */
  unclosed: boolean;
}

/**
 * Rows of a CSV text with the line each starts on (blank rows dropped). A
 * quote never closed would swallow every row after it into one field
 * (papaparse's MissingQuotes): that row ends at its own line end, and reading
 * starts again on the next line, so it costs only its row.
 */
function csvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let from = 0;
  let firstLine = 1;
  let delimiter: string | undefined;
  while (from < text.length) {
    const rest = text.slice(from);
    let start = 0;
    let line = firstLine;
    let reopen = -1;
    Papa.parse<string[]>(rest, {
      ...(delimiter ? { delimiter } : { delimitersToGuess: [',', ';', '\t'] }),
      // Blank lines would spoil the delimiter guess; the cursor still counts them.
      skipEmptyLines: 'greedy',
      step: (r, p) => {
        delimiter ??= r.meta.delimiter;
        const data = r.data;
        // Skipped blank lines lie between the last row and this one.
        for (;;) {
          let j = start;
          while (j < rest.length && (rest.charCodeAt(j) === 32 || rest.charCodeAt(j) === 9)) j++;
          if (j >= rest.length || rest.charCodeAt(j) !== 10) break;
          line++;
          start = j + 1;
        }
        const error = r.errors.length > 0 ? r.errors.map((e) => `${e.code}: ${e.message}`).join('; ') : null;
        if (r.errors.some((e) => e.code === 'MissingQuotes')) {
          const end = rest.indexOf('\n', start);
          records.push({ fields: [rest.slice(start, end < 0 ? rest.length : end)], line, error, unclosed: true });
          reopen = end < 0 ? rest.length : end + 1;
          p.abort();
          return;
        }
        if (!(data.length === 0 || (data.length === 1 && data[0].trim() === '')))
          records.push({ fields: data, line, error, unclosed: false });
        // The next row starts at the cursor: count the line ends up to it.
        const cursor = Math.min(r.meta.cursor, rest.length);
        for (let i = start; i < cursor; i++) if (rest.charCodeAt(i) === 10) line++;
        start = cursor;
      },
    });
    if (reopen < 0) break;
    from += reopen;
    firstLine = line + 1;
  }
  return records;
}

export function parseVmCsv(text: string): Companion {
  const warnings: CompanionWarning[] = [];
  const rows: VmMapRow[] = [];
  const records = csvRecords(normalise(text));
  if (records.length === 0) return { kind: 'vm-csv', rows, warnings };
  if (records.every((r) => r.fields.length < 2)) {
    warnings.push({ line: records[0].line, message: 'no comma, semicolon or tab: expected tid,vm[,vcpu] rows' });
  }
  let layout: CsvLayout = { tid: 0, vm: 1, vcpu: 2 };
  let first = 0;
  const header = csvHeader(records[0].fields);
  if (header && 'error' in header) {
    warnings.push({ line: records[0].line, message: header.error });
    return { kind: 'vm-csv', rows, warnings };
  }
  if (header) {
    layout = header;
    first = 1;
  }
  const indexOfTid = new Map<number, number>();
  for (let i = first; i < records.length; i++) {
    const { fields, line, error, unclosed } = records[i];
    // A quote never closed: the row is not read (csvRecords went on from the next line).
    if (unclosed) {
      warnings.push({
        line,
        message: `row skipped: a quote opened here is never closed (${error}); the rows after it are read from the next line`,
      });
      continue;
    }
    if (error) warnings.push({ line, message: `CSV: ${error}` });
    const r = csvRow(fields, layout);
    if (!r.row) {
      warnings.push({ line, message: `row skipped: ${r.error}` });
      continue;
    }
    if (r.vcpuWarning) warnings.push({ line, message: r.vcpuWarning });
    const before = indexOfTid.get(r.row.tid);
    if (before !== undefined) {
      warnings.push({
        line,
        message: `tid ${r.row.tid} is listed again (before: ${rows[before].vm}); this later row wins`,
      });
      rows[before] = r.row;
    } else {
      indexOfTid.set(r.row.tid, rows.length);
      rows.push(r.row);
    }
  }
  return { kind: 'vm-csv', rows, warnings };
}

// ---- ps ------------------------------------------------------------------------------

type PsColumn = 'pid' | 'tid' | 'comm' | 'other';

const PS_TID = new Set(['TID', 'LWP', 'SPID']);
const PS_COMM = new Set(['COMMAND', 'CMD', 'COMM', 'UCMD', 'UCOMM', 'ARGS']);
/** A ps column header: upper case, digits and a few signs (`%CPU`, `NLWP`, `S`, `TT`). */
const PS_HEADER_TOKEN = /^[A-Z%][A-Z0-9%_+-]*$/;

interface PsLayout {
  columns: PsColumn[];
  pid: number;
  tid: number;
}

function psHeader(line: string): PsLayout | null {
  const tokens = line.trim().split(/\s+/);
  if (tokens.length < 3 || !tokens.every((t) => PS_HEADER_TOKEN.test(t))) return null;
  if (!PS_COMM.has(tokens[tokens.length - 1])) return null;
  const columns = tokens.map((t): PsColumn => (t === 'PID' ? 'pid' : PS_TID.has(t) ? 'tid' : 'other'));
  columns[columns.length - 1] = 'comm';
  const pid = columns.indexOf('pid');
  const tid = columns.indexOf('tid');
  if (pid < 0 || tid < 0) return null;
  return { columns, pid, tid };
}

interface PsLineResult {
  thread?: PsThread;
  error?: string;
}

/** One data line: the first columns split on blanks, the command is the rest of the line. */
function psLine(line: string, layout: PsLayout): PsLineResult {
  const n = layout.columns.length;
  const values: string[] = [];
  let i = 0;
  const len = line.length;
  for (let c = 0; c < n - 1; c++) {
    while (i < len && (line[i] === ' ' || line[i] === '\t')) i++;
    const s = i;
    while (i < len && line[i] !== ' ' && line[i] !== '\t') i++;
    if (i === s) return { error: `only ${c} of ${n} columns` };
    values.push(line.slice(s, i));
  }
  // One separating blank, then the command as printed (it may start or end with spaces only
  // when padded: trim those).
  const comm = line.slice(i).trim();
  const pid = values[layout.pid];
  const tid = values[layout.tid];
  if (!INTEGER.test(pid)) return { error: `PID "${pid}" is not a number` };
  if (!INTEGER.test(tid)) return { error: `${tid === undefined ? 'TID' : `TID "${tid}"`} is not a number` };
  if (comm === '') return { error: 'no command' };
  return { thread: { pid: Number(pid), tid: Number(tid), comm } };
}

export function parsePsThreads(text: string): Companion {
  const warnings: CompanionWarning[] = [];
  const threads: PsThread[] = [];
  const lines = normalise(text).split('\n');
  let layout: PsLayout | null = null;
  const indexOfTid = new Map<number, number>();
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const lineNo = k + 1;
    if (line.trim() === '') continue;
    const header = psHeader(line);
    if (header) {
      // Output of several ps runs may be concatenated: every header sets the columns again.
      layout = header;
      continue;
    }
    if (!layout) {
      // No header yet: `ps -eLo pid=,tid=,comm=` prints none; read PID TID COMMAND.
      if (/^\s*\d+\s+\d+(\s|$)/.test(line)) {
        layout = { columns: ['pid', 'tid', 'comm'], pid: 0, tid: 1 };
        warnings.push({ line: lineNo, message: 'no header line: columns read as PID TID COMMAND' });
      } else {
        warnings.push({ line: lineNo, message: 'line skipped: not a ps header (PID TID COMMAND) or thread line' });
        continue;
      }
    }
    const r = psLine(line, layout);
    if (!r.thread) {
      warnings.push({ line: lineNo, message: `line skipped: ${r.error}` });
      continue;
    }
    const before = indexOfTid.get(r.thread.tid);
    if (before !== undefined) {
      const old = threads[before];
      if (old.pid !== r.thread.pid || old.comm !== r.thread.comm) {
        warnings.push({
          line: lineNo,
          message: `tid ${r.thread.tid} is listed again (before: pid ${old.pid}, ${old.comm}); this later line wins`,
        });
      }
      threads[before] = r.thread;
    } else {
      indexOfTid.set(r.thread.tid, threads.length);
      threads.push(r.thread);
    }
  }
  if (!layout && warnings.length === 0 && lines.some((l) => l.trim() !== '')) {
    warnings.push({ line: 1, message: 'no ps header (PID TID COMMAND) found' });
  }
  return { kind: 'ps', threads, warnings };
}

// ---- sniffing ------------------------------------------------------------------------

/**
 * Whether the first lines of an input are a companion file. Claims only what it
 * is sure of: a ps header followed by thread lines, or CSV rows whose first
 * field (or tid column) is a thread id, so scheduler traces and prose are never
 * taken for companions.
 */
export function sniffCompanion(firstLines: string[]): CompanionKind | null {
  const lines = firstLines.map((l) => normalise(l)).filter((l) => l.trim() !== '');
  if (lines.length === 0) return null;
  // Memory files first: their titles and line shapes are unmistakable.
  const memory = sniffMemory(lines);
  if (memory) return memory;
  if (looksLikePs(lines)) return 'ps';
  if (looksLikeVmCsv(lines)) return 'vm-csv';
  return sniffVmFacts(lines);
}

/** A companion's whole text, read as the kind sniffCompanion said. */
export function parseCompanion(kind: CompanionKind, text: string): Companion {
  if (kind === 'vm-csv') return parseVmCsv(text);
  if (kind === 'ps') return parsePsThreads(text);
  if (isMemoryFormat(kind)) {
    const m = parseMemory(kind, text);
    return { kind: 'numa-memory', memory: m.memory, warnings: m.warnings };
  }
  const r = parseVmFacts(kind, text);
  return { kind: 'vm-facts', format: r.format, facts: r.facts, warnings: r.warnings };
}

function looksLikePs(lines: string[]): boolean {
  const layout = psHeader(lines[0]);
  if (!layout) return false;
  let good = 0;
  let bad = 0;
  for (const line of lines.slice(1)) {
    if (psHeader(line)) continue;
    if (psLine(line, layout).thread) good++;
    else bad++;
  }
  return good > 0 && bad <= good / 10;
}

function looksLikeVmCsv(lines: string[]): boolean {
  const records = csvRecords(lines.join('\n'));
  if (records.length === 0) return false;
  const header = csvHeader(records[0].fields);
  if (header && 'error' in header) return false;
  const layout = header ?? { tid: 0, vm: 1, vcpu: 2 };
  const data = header ? records.slice(1) : records;
  // A header naming tid and vm columns is enough; without one, every row must be
  // `tid,vm[,vcpu]` with two or three fields.
  if (header) {
    if (data.length === 0) return true;
  } else if (data.some((r) => r.fields.length < 2 || r.fields.length > 3)) return false;
  let good = 0;
  for (const r of data) if (csvRow(r.fields, layout).row) good++;
  // With a header, one good row makes it a VM map: parseVmCsv warns about each bad row by its line.
  return header ? good > 0 : good === data.length;
}
