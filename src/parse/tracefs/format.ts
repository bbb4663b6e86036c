// The kernel's description of one trace event, as tracefs prints it in
// events/<system>/<event>/format (and as perf.data's tracing_data and
// trace.dat carry it):
//
//   name: sched_switch
//   ID: 372
//   format:
//   	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
//   	...
//   	field:char prev_comm[16];	offset:8;	size:16;	signed:0;
//   	field:__data_loc char[] name;	offset:12;	size:4;	signed:0;
//
//   print fmt: "prev_comm=%s ...", REC->prev_comm, ...
//
// Offsets and sizes are the record layout of that kernel: never assume them.
// Old kernels print no `signed:` (it is then read from the type).

import { compilePrintFormat, type PrintFormat } from './printFormat';

export interface FieldFormat {
  name: string;
  /** The declared type without the name, e.g. `unsigned short`, `char[16]`, `__data_loc char[]`. */
  type: string;
  offset: number;
  size: number;
  signed: boolean;
  /** `type name[N]`: N (from the size when N is a macro name); -1 when the field is no array; 0 for `[]`. */
  arrayLength: number;
  /** Size of one element of an array (the whole size otherwise). */
  elementSize: number;
  /**
   * `__data_loc`: the field is a u32 (offset | length << 16) locating the data in
   * the record; `__rel_loc` (Linux 5.17+): the offset counts from the end of the field.
   */
  location: 'inline' | 'data_loc' | 'rel_loc';
  /** A char array or a dynamic char string: printed with %s up to its NUL. */
  isString: boolean;
  /** common_type, common_flags, common_pid ...: the header every event of the kernel has. */
  common: boolean;
}

export interface EventFormat {
  /** Subsystem (directory) name, e.g. `sched`; '' when the source does not say. */
  system: string;
  name: string;
  /** Event id (common_type of its records); -1 when the text has no ID line. */
  id: number;
  commonFields: FieldFormat[];
  fields: FieldFormat[];
  /** The text after `print fmt: `, '' when absent. */
  printFormatText: string;
}

export class FormatError extends Error {
  override name = 'FormatError';
}

/** Parse one event's `format` text. Throws FormatError on text that is no event format. */
export function parseEventFormat(text: string, system = ''): EventFormat {
  let name = '';
  let id = -1;
  let printFormatText = '';
  const commonFields: FieldFormat[] = [];
  const fields: FieldFormat[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const t = line.trim();
    if (t === '' || t === 'format:') continue;
    if (t.startsWith('name:')) name = t.slice(5).trim();
    else if (t.startsWith('ID:')) {
      id = Number(t.slice(3).trim());
      if (!Number.isInteger(id) || id < 0) throw new FormatError(`event ${name || '?'}: bad ID line "${t}"`);
    } else if (t.startsWith('field')) {
      const f = parseFieldLine(t);
      if (f === null) throw new FormatError(`event ${name || '?'}: cannot read field line "${t}"`);
      (f.common ? commonFields : fields).push(f);
    } else if (t.startsWith('print fmt:')) {
      // The print format is one line; keep anything after it too (a format cut by a reader).
      printFormatText = [line.slice(line.indexOf('print fmt:') + 10).trim(), ...lines.slice(i + 1)].join('\n').trim();
      break;
    }
  }
  if (name === '' && commonFields.length === 0 && fields.length === 0)
    throw new FormatError('not an event format (no name: line and no field: lines)');
  return { system, name, id, commonFields, fields, printFormatText };
}

const FIELD_LINE = /^field(?:\s+special)?:\s*(.+?);\s*offset:\s*(\d+);\s*size:\s*(\d+);(?:\s*signed:\s*(-?\d+);?)?/;

/** One `field:TYPE NAME;	offset:N;	size:N;	signed:N;` line (header_page's `field: u64 timestamp;` too). */
export function parseFieldLine(line: string): FieldFormat | null {
  const m = FIELD_LINE.exec(line.trim());
  if (!m) return null;
  const decl = m[1].trim();
  const offset = Number(m[2]);
  const size = Number(m[3]);
  // The name is the last identifier, before an optional [N].
  const nm = /([A-Za-z_][A-Za-z0-9_]*)\s*(\[([^\]]*)\])?\s*$/.exec(decl);
  if (!nm) return null;
  const name = nm[1];
  let type = decl.slice(0, nm.index).trim();
  let location: FieldFormat['location'] = 'inline';
  if (/^__data_loc\b/.test(type)) location = 'data_loc';
  else if (/^__rel_loc\b/.test(type)) location = 'rel_loc';
  const base = type
    .replace(/^__(data|rel)_loc\s*/, '')
    .replace(/\[\s*\]\s*$/, '')
    .trim();
  let arrayLength = -1;
  if (nm[2] !== undefined) {
    type += `[${nm[3]}]`;
    const n = Number(nm[3]);
    arrayLength = nm[3].trim() === '' ? 0 : Number.isInteger(n) ? n : -2;
  } else if (location !== 'inline' || /\[\s*\]\s*$/.test(type)) arrayLength = 0;
  const charLike = /^(unsigned\s+|signed\s+)?char$/.test(base) || base === 'u8' || base === 's8';
  let elementSize = size;
  if (arrayLength > 0) elementSize = Math.max(1, Math.floor(size / arrayLength));
  else if (arrayLength === -2) {
    // `char comm[TASK_COMM_LEN]` (2.6 kernels): the length is a macro name; the size tells.
    elementSize = charLike ? 1 : size;
    arrayLength = Math.floor(size / elementSize);
  } else if (arrayLength === 0) elementSize = charLike ? 1 : elementSize;
  // As libtraceevent: an array (fixed or dynamic) of a char type prints as a string.
  const isString = arrayLength >= 0 && /\bchar\b/.test(base);
  const signed =
    m[4] !== undefined ? m[4] !== '0' : !/^(unsigned\b|u8|u16|u32|u64|bool|_Bool|pid_t_unsigned)/.test(base);
  return {
    name,
    type,
    offset,
    size,
    signed,
    arrayLength,
    elementSize,
    location,
    isString,
    common: name.startsWith('common_'),
  };
}

/** The field named `name` (common fields included), or undefined. */
export function fieldOf(format: EventFormat, name: string): FieldFormat | undefined {
  return format.fields.find((f) => f.name === name) ?? format.commonFields.find((f) => f.name === name);
}

const compiled = new WeakMap<EventFormat, PrintFormat>();

/** The event's print format, compiled once (see printFormat.ts). */
export function printFormatOf(format: EventFormat): PrintFormat {
  let p = compiled.get(format);
  if (!p) {
    p = compilePrintFormat(format.printFormatText, format);
    compiled.set(format, p);
  }
  return p;
}
