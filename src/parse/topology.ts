// Host topology files, told apart by content (pure, no DOM):
//
//  - `lscpu -p` / `lscpu --parse`: comment lines start with '#'; the last
//    comment before the data names the columns, `# CPU,Core,Socket,Node,,L1d,L1i,L2,L3`
//    by default, or e.g. `# CPU,Core,Socket,Node` for `lscpu -p=CPU,CORE,SOCKET,NODE`
//    (names in any case, any order, extra columns ignored). Data lines are
//    comma-separated; an empty Node field (a host without NUMA) is node 0.
//    Without a column header the default order CPU,Core,Socket,Node is used.
//  - `numactl -H` / `--hardware`: `available: N nodes (0-1)`, then
//    `node K cpus: 0 1 2 …` per node (size, free and distance lines are read
//    past). It has no socket or core information, so no SMT siblings.
//
// A topology is all or nothing: a bad line is an error (TopologyError, with
// its line number), never a skipped line.

import { parseCpuList } from '../model/cpuList';
import { makeTopology, type HostTopology, type TopologyCpu, type TopologySource } from '../model/topology';

export class TopologyError extends Error {
  override name = 'TopologyError';
  /** 1-based line of the problem, null when it concerns the whole file. */
  readonly line: number | null;
  constructor(line: number | null, message: string) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.line = line;
  }
}

function lines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split(/\r\n?|\n/);
}

const INT = /^\d+$/;
const LSCPU_PREAMBLE = /^#\s*The following is the parsable format/i;
/** A column header comment: `# CPU,Core,...` (lscpu always puts CPU first when asked for it; any order is read). */
const LSCPU_HEADER = /^#\s*([A-Za-z][A-Za-z0-9]*)?(\s*,\s*[A-Za-z0-9]*)*\s*$/;
const LSCPU_DATA = /^\d+(,[^,]*){3,}$/;
const NUMACTL_AVAILABLE = /^available:\s*(\d+)\s+nodes?\s*\(([^)]*)\)\s*$/;
const NUMACTL_CPUS = /^node\s+(\d+)\s+cpus:(.*)$/;

/**
 * Whether the first lines of an input are a topology file: an lscpu column
 * header or preamble, rows of four or more numeric comma fields, or numactl's
 * `available:` line. Claims only what it is sure of.
 */
export function sniffTopology(firstLines: readonly string[]): TopologySource | null {
  const text = firstLines.map((l) => (l.charCodeAt(0) === 0xfeff ? l.slice(1) : l).trim()).filter((l) => l !== '');
  if (text.length === 0) return null;
  if (NUMACTL_AVAILABLE.test(text[0]) || /^No NUMA available/i.test(text[0])) return 'numactl';
  if (LSCPU_PREAMBLE.test(text[0])) return 'lscpu';
  const comments = text.filter((l) => l.startsWith('#'));
  const data = text.filter((l) => !l.startsWith('#'));
  if (comments.some((l) => lscpuHeader(l) !== null) && data.every((l) => /^\d+(,|$)/.test(l))) return 'lscpu';
  if (data.length > 0 && data.every((l) => LSCPU_DATA.test(l) && l.split(',').every((f) => f === '' || INT.test(f))))
    return 'lscpu';
  return null;
}

/** The message of a topology file that cannot be read, for `reason` (a TopologyError's message). */
export function unreadableTopology(reason: string): string {
  return (
    `This looks like a host topology file (lscpu -p or numactl -H output) but it cannot be read: ${reason}. ` +
    'It is not applied; use the unedited output of `lscpu -p` or `numactl -H`.'
  );
}

/**
 * What is wrong with the first lines of an input that look like `lscpu -p`
 * output but are not sniffed as a topology (a damaged CPU field, a header
 * without its `#`): parseLscpu's error on them.
 */
export function lscpuProblem(firstLines: readonly string[]): string {
  try {
    parseLscpu(firstLines.join('\n'));
  } catch (e) {
    if (e instanceof TopologyError) return e.message;
    throw e;
  }
  return 'its first lines are not all `lscpu -p` comments and CPU lines';
}

/** Read a topology file of either kind. */
export function parseTopology(text: string): HostTopology {
  const head = lines(text).slice(0, 50);
  const kind = sniffTopology(head);
  if (kind === 'numactl') return parseNumactl(text);
  if (kind === 'lscpu') return parseLscpu(text);
  throw new TopologyError(
    null,
    'not a topology file: expected `lscpu -p` output (`# CPU,Core,Socket,Node` and lines like `0,0,0,0`) or `numactl -H` output (`available: 2 nodes (0-1)`)',
  );
}

// ---- lscpu -p -----------------------------------------------------------------------

type Column = 'cpu' | 'core' | 'socket' | 'node';

interface Layout {
  cpu: number;
  core: number;
  socket: number;
  node: number;
  /** Fields a data line needs at least. */
  width: number;
}

const DEFAULT_LAYOUT: Layout = { cpu: 0, core: 1, socket: 2, node: 3, width: 4 };

/** The columns a `# CPU,...` comment names, or null when the comment is no column header. */
function lscpuHeader(line: string): Layout | null {
  if (!LSCPU_HEADER.test(line)) return null;
  const names = line
    .replace(/^#\s*/, '')
    .split(',')
    .map((f) => f.trim().toLowerCase());
  if (!names.includes('cpu')) return null;
  const at = (name: Column): number => names.indexOf(name);
  const layout = { cpu: at('cpu'), core: at('core'), socket: at('socket'), node: at('node'), width: 0 };
  layout.width = Math.max(layout.cpu, layout.core, layout.socket, layout.node) + 1;
  return layout;
}

/** An id field: a number, or null when empty or '-' (no NUMA, an offline CPU). */
function idField(fields: string[], at: number, what: string, lineNo: number): number | null {
  if (at < 0) return null;
  const f = fields[at].trim();
  if (f === '' || f === '-') return null;
  if (!INT.test(f)) throw new TopologyError(lineNo, `${what} "${f}" is not a number`);
  return Number(f);
}

export function parseLscpu(text: string): HostTopology {
  let layout: Layout | null = null;
  let headerLine = 0;
  let sawData = false;
  const cpus: TopologyCpu[] = [];
  const lineOfCpu = new Map<number, number>();
  const all = lines(text);
  for (let k = 0; k < all.length; k++) {
    const lineNo = k + 1;
    const line = all[k].trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const h = lscpuHeader(line);
      if (h) {
        if (sawData)
          throw new TopologyError(
            lineNo,
            'a second column header after CPU lines: the file holds more than one lscpu output',
          );
        layout = h;
        headerLine = lineNo;
      }
      continue;
    }
    sawData = true;
    const l = layout ?? DEFAULT_LAYOUT;
    const fields = line.split(',');
    if (fields.length < l.width)
      throw new TopologyError(
        lineNo,
        `${fields.length} field${fields.length === 1 ? '' : 's'} but the columns${headerLine ? ` (line ${headerLine})` : ' (CPU,Core,Socket,Node)'} need ${l.width}: "${truncate(line)}"`,
      );
    const cpuText = fields[l.cpu].trim();
    if (!INT.test(cpuText) && lscpuHeader(`# ${line}`) !== null)
      throw new TopologyError(lineNo, `a column header without its "#" (lscpu -p writes "# CPU,Core,..."): "${truncate(line)}"`);
    if (!INT.test(cpuText))
      throw new TopologyError(lineNo, `CPU "${truncate(cpuText)}" is not a number: "${truncate(line)}"`);
    const cpu = Number(cpuText);
    if (cpu > 65535) throw new TopologyError(lineNo, `CPU ${cpu} is out of range`);
    const before = lineOfCpu.get(cpu);
    if (before !== undefined) throw new TopologyError(lineNo, `CPU ${cpu} is listed again (first on line ${before})`);
    lineOfCpu.set(cpu, lineNo);
    const core = idField(fields, l.core, 'core', lineNo);
    const socket = idField(fields, l.socket, 'socket', lineNo);
    const node = idField(fields, l.node, 'node', lineNo) ?? 0;
    cpus.push({ cpu, node, socket, core });
  }
  if (layout === null && !sawData) throw new TopologyError(null, 'no lscpu column header and no CPU lines');
  if (cpus.length === 0) throw new TopologyError(null, 'no CPU lines after the lscpu column header');
  return makeTopology('lscpu', cpus);
}

// ---- numactl -H ---------------------------------------------------------------------

export function parseNumactl(text: string): HostTopology {
  const all = lines(text);
  let available: { count: number; nodes: number[]; line: number } | null = null;
  const cpusLine = new Map<number, number>();
  const cpus: TopologyCpu[] = [];
  const lineOfCpu = new Map<number, number>();
  for (let k = 0; k < all.length; k++) {
    const lineNo = k + 1;
    const line = all[k].trim();
    if (line === '') continue;
    if (/^No NUMA available/i.test(line))
      throw new TopologyError(
        lineNo,
        'numactl says "No NUMA available on this system": the host has one node; use `lscpu -p` output instead (it also gives cores and SMT siblings)',
      );
    if (line.startsWith('available:')) {
      const m = NUMACTL_AVAILABLE.exec(line);
      if (!m) throw new TopologyError(lineNo, `expected "available: N nodes (LIST)", got "${truncate(line)}"`);
      if (available) throw new TopologyError(lineNo, `a second "available:" line (first on line ${available.line})`);
      const nodes = parseCpuList(m[2]); // node lists are written as CPU lists are
      if (nodes === null) throw new TopologyError(lineNo, `node list "(${m[2]})" is not a list like 0-1 or 0,2`);
      if (nodes.length !== Number(m[1]))
        throw new TopologyError(lineNo, `says ${m[1]} nodes but lists ${nodes.length}: (${m[2]})`);
      available = { count: Number(m[1]), nodes, line: lineNo };
      continue;
    }
    const m = NUMACTL_CPUS.exec(line);
    if (!m) continue; // size, free, distances: not needed
    if (!available) throw new TopologyError(lineNo, 'a "node N cpus:" line before the "available: N nodes" line');
    const node = Number(m[1]);
    if (!available.nodes.includes(node))
      throw new TopologyError(
        lineNo,
        `node ${node} is not among the available nodes (${available.nodes.join(',')}, line ${available.line})`,
      );
    const first = cpusLine.get(node);
    if (first !== undefined)
      throw new TopologyError(lineNo, `node ${node} cpus are listed again (first on line ${first})`);
    cpusLine.set(node, lineNo);
    const tokens = m[2].trim() === '' ? [] : m[2].trim().split(/\s+/);
    for (const tok of tokens) {
      if (!INT.test(tok)) throw new TopologyError(lineNo, `CPU "${truncate(tok)}" of node ${node} is not a number`);
      const cpu = Number(tok);
      if (cpu > 65535) throw new TopologyError(lineNo, `CPU ${cpu} is out of range`);
      const before = lineOfCpu.get(cpu);
      if (before !== undefined) throw new TopologyError(lineNo, `CPU ${cpu} is listed again (first on line ${before})`);
      lineOfCpu.set(cpu, lineNo);
      cpus.push({ cpu, node, socket: null, core: null });
    }
  }
  if (!available) throw new TopologyError(null, 'no "available: N nodes (LIST)" line');
  const missing = available.nodes.filter((n) => !cpusLine.has(n));
  if (missing.length > 0)
    throw new TopologyError(
      available.line,
      `node${missing.length === 1 ? '' : 's'} ${missing.join(',')} ha${missing.length === 1 ? 's' : 've'} no "node N cpus:" line: the output was cut short`,
    );
  if (cpus.length === 0) throw new TopologyError(null, 'no node lists any CPU');
  return makeTopology('numactl', cpus, available.nodes);
}

function truncate(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}
