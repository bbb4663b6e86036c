// An event's `print fmt:` (the kernel's TP_printk with __entry spelled REC):
//
//   "prev_comm=%s prev_pid=%d ... prev_state=%s%s ==> ...", REC->prev_comm, REC->prev_pid, ...,
//   (REC->prev_state & 0xff) ? __print_flags(REC->prev_state & 0xff, "|", { 0x01, "S" }, ...) : "R", ...
//
// compiled to a list of literal text and printf conversions with their
// argument expressions, and evaluated the way libtraceevent (perf script,
// trace-cmd report) does: fields read zero-extended, arithmetic in unsigned
// 64 bits, each number cast at print time by its conversion's length
// modifier. The subset: REC->field, numbers, strings, casts, unary and binary
// C operators, ?:, __print_flags, __print_symbolic (and their _u64 forms),
// __get_str. Anything beyond it prints the number of the first field it
// reads (or `?` when it reads none), and the format is flagged approximate.

import type { EventFormat } from './format';
import type { RecordRef } from './fields';
import { FieldReader } from './fields';

// ---- the expression tree ---------------------------------------------------

export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'str'; v: string }
  | { k: 'field'; name: string }
  | { k: 'unary'; op: string; a: Expr }
  | { k: 'binary'; op: string; a: Expr; b: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'cast'; bits: number; signed: boolean; a: Expr }
  | { k: 'flags'; value: Expr; delim: string; table: [bigint, string][] }
  | { k: 'symbolic'; value: Expr; table: [bigint, string][] }
  | { k: 'getStr'; name: string }
  /** Something beyond the evaluator: the call's name and its arguments (for the fallback). */
  | { k: 'unsupported'; what: string; args: Expr[] };

export interface Conversion {
  /** The conversion as written, e.g. `%03d`, `%s`, `%lx`. */
  spec: string;
  flags: string;
  width: number | null;
  precision: number | null;
  /** Length modifier: hh h (none) l ll z ... */
  length: string;
  conv: string;
  /** Its argument; null when the format has fewer arguments than conversions. */
  arg: Expr | null;
}

export type Segment = { text: string } | { conversion: Conversion };

export interface PrintFormat {
  segments: Segment[];
  /** False when part of the format could not be parsed or uses something the evaluator lacks. */
  exact: boolean;
  /** Why it is not exact (first reason). */
  problem: string | null;
}

export class PrintFormatError extends Error {
  override name = 'PrintFormatError';
}

// ---- tokens ----------------------------------------------------------------

type Tok = { t: 'num'; v: bigint } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'p'; v: string };

const PUNCT3 = ['<<=', '>>='];
const PUNCT2 = ['->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < n && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < n) {
          const e = src[i + 1];
          i += 2;
          if (e === 'n') s += '\n';
          else if (e === 't') s += '\t';
          else if (e === 'r') s += '\r';
          else if (e === '0') s += '\0';
          else s += e;
        } else s += src[i++];
      }
      if (i >= n) throw new PrintFormatError('unterminated string');
      i++;
      out.push({ t: 'str', v: s });
      continue;
    }
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new PrintFormatError('unterminated character constant');
      const body = src.slice(i + 1, end);
      out.push({ t: 'num', v: BigInt(body.startsWith('\\') ? escapeCode(body[1]) : body.charCodeAt(0)) });
      i = end + 1;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*/.exec(src.slice(i, i + 40));
      if (!m) throw new PrintFormatError(`bad number at ${i}`);
      const digits = m[1];
      const v =
        digits.length > 1 && digits[0] === '0' && !/[xX]/.test(digits)
          ? BigInt('0o' + digits.slice(1))
          : BigInt(digits);
      out.push({ t: 'num', v });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j])) j++;
      out.push({ t: 'id', v: src.slice(i, j) });
      i = j;
      continue;
    }
    const p3 = src.slice(i, i + 3);
    const p2 = src.slice(i, i + 2);
    if (PUNCT3.includes(p3)) {
      out.push({ t: 'p', v: p3 });
      i += 3;
    } else if (PUNCT2.includes(p2)) {
      out.push({ t: 'p', v: p2 });
      i += 2;
    } else {
      out.push({ t: 'p', v: c });
      i++;
    }
  }
  return out;
}

function escapeCode(e: string): number {
  return e === 'n' ? 10 : e === 't' ? 9 : e === '0' ? 0 : e.charCodeAt(0);
}

// ---- parser ----------------------------------------------------------------

const TYPE_WORDS = new Set([
  'unsigned',
  'signed',
  'char',
  'short',
  'int',
  'long',
  'bool',
  '_Bool',
  'const',
  'volatile',
  'struct',
  'void',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  '__u8',
  '__u16',
  '__u32',
  '__u64',
  '__s8',
  '__s16',
  '__s32',
  '__s64',
]);

class Parser {
  private i = 0;
  problem: string | null = null;
  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  private isP(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.t === 'p' && t.v === v;
  }
  private eat(v: string): void {
    if (!this.isP(v)) throw new PrintFormatError(`expected '${v}' at token ${this.i}`);
    this.i++;
  }
  get done(): boolean {
    return this.i >= this.toks.length;
  }

  /** The leading format string (adjacent literals joined). */
  formatString(): string {
    let s = '';
    let any = false;
    for (let t = this.peek(); t !== undefined && t.t === 'str'; t = this.peek()) {
      s += t.v;
      any = true;
      this.i++;
    }
    if (!any) throw new PrintFormatError('print fmt does not start with a string');
    return s;
  }

  /** `, arg, arg ...` after the format string. */
  args(): Expr[] {
    const out: Expr[] = [];
    while (!this.done) {
      this.eat(',');
      out.push(this.expr());
    }
    return out;
  }

  expr(): Expr {
    const c = this.binary(0);
    if (this.isP('?')) {
      this.i++;
      const a = this.expr();
      this.eat(':');
      const b = this.expr();
      return { k: 'cond', c, a, b };
    }
    return c;
  }

  private static readonly LEVELS: string[][] = [
    ['||'],
    ['&&'],
    ['|'],
    ['^'],
    ['&'],
    ['==', '!='],
    ['<', '>', '<=', '>='],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.t !== 'p' || !Parser.LEVELS[level].includes(t.v)) return a;
      this.i++;
      const b = this.binary(level + 1);
      a = { k: 'binary', op: t.v, a, b };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t !== undefined && t.t === 'p' && (t.v === '-' || t.v === '~' || t.v === '!' || t.v === '+')) {
      this.i++;
      const a = this.unary();
      return t.v === '+' ? a : { k: 'unary', op: t.v, a };
    }
    if (t !== undefined && t.t === 'p' && t.v === '&') {
      // Address-of: only meaningful to the kernel.
      this.i++;
      return this.unsupported('&', [this.unary()]);
    }
    if (this.isP('(') && this.looksLikeCast()) return this.cast();
    return this.postfix(this.primary());
  }

  /** `(unsigned long)`, `(u64)`, `(void *)`, `(struct foo *)`: identifiers and stars only, a type word first. */
  private looksLikeCast(): boolean {
    let j = 1;
    let sawType = false;
    for (;;) {
      const t = this.peek(j);
      if (t === undefined) return false;
      if (t.t === 'p' && t.v === ')') return sawType && j > 1;
      if (t.t === 'p' && t.v === '*') {
        j++;
        continue;
      }
      if (t.t !== 'id') return false;
      if (TYPE_WORDS.has(t.v) || /_t$/.test(t.v) || (j > 1 && sawType)) sawType = true;
      else return false;
      j++;
    }
  }

  private cast(): Expr {
    this.eat('(');
    const words: string[] = [];
    let pointer = false;
    while (!this.isP(')')) {
      const t = this.peek()!;
      if (t.t === 'p' && t.v === '*') pointer = true;
      else words.push((t as { v: string }).v);
      this.i++;
    }
    this.eat(')');
    const a = this.unary();
    const { bits, signed } = pointer ? { bits: 64, signed: false } : castType(words);
    return { k: 'cast', bits, signed, a };
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      if (this.isP('->') || this.isP('.')) {
        this.i++;
        const t = this.peek();
        if (t === undefined || t.t !== 'id') throw new PrintFormatError('expected a field name after ->');
        this.i++;
        if (e.k === 'unsupported' && e.what === 'REC') e = { k: 'field', name: t.v };
        else e = this.unsupported('member', [e]);
      } else if (this.isP('[')) {
        this.i++;
        const idx = this.expr();
        this.eat(']');
        e = this.unsupported('[]', [e, idx]);
      } else return e;
    }
  }

  private primary(): Expr {
    const t = this.peek();
    if (t === undefined) throw new PrintFormatError('expression cut short');
    if (t.t === 'num') {
      this.i++;
      return { k: 'num', v: t.v };
    }
    if (t.t === 'str') {
      let s = '';
      for (let u = this.peek(); u !== undefined && u.t === 'str'; u = this.peek()) {
        s += u.v;
        this.i++;
      }
      return { k: 'str', v: s };
    }
    if (t.t === 'p' && t.v === '(') {
      this.i++;
      const e = this.expr();
      this.eat(')');
      return e;
    }
    if (t.t === 'p' && t.v === '{') {
      // A table entry outside a helper: skip it whole.
      this.skipBraces();
      return this.unsupported('{}', []);
    }
    if (t.t === 'id') {
      this.i++;
      if (t.v === 'REC') return { k: 'unsupported', what: 'REC', args: [] };
      if (this.isP('(')) return this.call(t.v);
      // A bare name: a constant the kernel did not expand (or a field name given to a helper).
      return this.unsupported(t.v, []);
    }
    throw new PrintFormatError(`unexpected '${t.v}'`);
  }

  private skipBraces(): void {
    let depth = 0;
    do {
      const t = this.peek();
      if (t === undefined) throw new PrintFormatError('unbalanced {');
      if (t.t === 'p' && t.v === '{') depth++;
      if (t.t === 'p' && t.v === '}') depth--;
      this.i++;
    } while (depth > 0);
  }

  private call(name: string): Expr {
    this.eat('(');
    switch (name) {
      case '__print_flags':
      case '__print_flags_u64': {
        const value = this.expr();
        this.eat(',');
        const d = this.expr();
        const table = this.table();
        this.eat(')');
        return { k: 'flags', value, delim: d.k === 'str' ? d.v : '', table };
      }
      case '__print_symbolic':
      case '__print_symbolic_u64': {
        const value = this.expr();
        const table = this.table();
        this.eat(')');
        return { k: 'symbolic', value, table };
      }
      case '__get_str':
      case '__get_rel_str': {
        const t = this.peek();
        if (t === undefined || t.t !== 'id') throw new PrintFormatError(`${name} expects a field name`);
        this.i++;
        this.eat(')');
        return { k: 'getStr', name: t.v };
      }
      default: {
        const args: Expr[] = [];
        while (!this.isP(')')) {
          if (args.length > 0) this.eat(',');
          if (this.isP('{')) {
            this.skipBraces();
            continue;
          }
          const a = this.expr();
          // A helper given a bare field name (`__get_dynamic_array(name)`): read that field.
          args.push(
            a.k === 'unsupported' && a.args.length === 0 && /^[a-z_]/.test(a.what) ? { k: 'field', name: a.what } : a,
          );
        }
        this.eat(')');
        return this.unsupported(name, args);
      }
    }
  }

  /** `, { value, "name" }, ...` up to the closing parenthesis. */
  private table(): [bigint, string][] {
    const out: [bigint, string][] = [];
    while (this.isP(',')) {
      this.i++;
      this.eat('{');
      const v = constValue(this.expr());
      this.eat(',');
      const s = this.expr();
      this.eat('}');
      if (v === null || s.k !== 'str') throw new PrintFormatError('table entry is not { number, "string" }');
      out.push([v, s.v]);
    }
    return out;
  }

  private unsupported(what: string, args: Expr[]): Expr {
    if (what !== 'REC' && this.problem === null) this.problem = `unsupported: ${what}`;
    return { k: 'unsupported', what, args };
  }
}

function castType(words: string[]): { bits: number; signed: boolean } {
  const w = words.filter((x) => x !== 'const' && x !== 'volatile');
  const s = w.join(' ');
  const unsigned =
    w.includes('unsigned') || /^(__)?u\d+$/.test(s) || s === 'bool' || s === '_Bool' || /^size_t$/.test(s);
  let bits = 32;
  if (/\bchar\b|^(__)?[us]8$|bool/.test(s)) bits = 8;
  else if (/\bshort\b|^(__)?[us]16$/.test(s)) bits = 16;
  else if (/\blong\b|^(__)?[us]64$|size_t|_t$/.test(s)) bits = 64;
  return { bits, signed: !unsigned };
}

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Value of an expression that reads no field (table keys like `0x040 + 6` or `-1`), as unsigned 64. */
function constValue(e: Expr): bigint | null {
  const v = evaluate(e, null);
  return typeof v === 'bigint' ? v : null;
}

// ---- conversions -----------------------------------------------------------

const CONVERSION = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|z|j|t|L)?([diouxXcspn%])/g;

function splitFormat(fmt: string): { text: string; conv: Omit<Conversion, 'arg'> | null }[] {
  const out: { text: string; conv: Omit<Conversion, 'arg'> | null }[] = [];
  let last = 0;
  CONVERSION.lastIndex = 0;
  for (let m = CONVERSION.exec(fmt); m !== null; m = CONVERSION.exec(fmt)) {
    if (m.index > last) out.push({ text: fmt.slice(last, m.index), conv: null });
    last = CONVERSION.lastIndex;
    if (m[5] === '%') {
      out.push({ text: '%', conv: null });
      continue;
    }
    let conv = m[5];
    let end = last;
    // %pS, %pF, %pM ...: kernel pointer extensions; printed as the pointer.
    if (conv === 'p') while (end < fmt.length && /[a-zA-Z0-9]/.test(fmt[end]) && end - last < 3) end++;
    if (end > last) {
      CONVERSION.lastIndex = end;
      last = end;
      conv = 'p';
    }
    out.push({
      text: '',
      conv: {
        spec: m[0],
        flags: m[1],
        width: m[2] === undefined || m[2] === '*' ? null : Number(m[2]),
        precision: m[3] === undefined || m[3] === '*' ? null : Number(m[3]),
        length: m[4] ?? '',
        conv,
      },
    });
  }
  if (last < fmt.length) out.push({ text: fmt.slice(last), conv: null });
  return out;
}

/** Compile a `print fmt:` text. Never throws: a format it cannot parse is kept as its literal text, not exact. */
export function compilePrintFormat(text: string, _format?: EventFormat): PrintFormat {
  let fmt: string;
  let args: Expr[] = [];
  let problem: string | null = null;
  try {
    const p = new Parser(tokenize(text));
    fmt = p.formatString();
    try {
      args = p.args();
    } catch (e) {
      problem = `arguments: ${(e as Error).message}`;
    }
    problem ??= p.problem;
  } catch (e) {
    return { segments: [{ text }], exact: false, problem: `format: ${(e as Error).message}` };
  }
  const segments: Segment[] = [];
  let argIndex = 0;
  for (const part of splitFormat(fmt)) {
    if (part.conv === null) {
      const prev = segments[segments.length - 1];
      if (prev !== undefined && 'text' in prev) prev.text += part.text;
      else segments.push({ text: part.text });
      continue;
    }
    const c = part.conv;
    // A `*` width or precision takes an argument of its own.
    if (c.spec.includes('*')) {
      const star = args[argIndex++];
      const v = star ? evaluate(star, null) : null;
      if (/%[-+ #0]*\*/.test(c.spec)) c.width = typeof v === 'bigint' ? Number(v) : null;
      else c.precision = typeof v === 'bigint' ? Number(v) : null;
      if (typeof v !== 'bigint') problem ??= 'a * width that reads a field';
    }
    const arg = args[argIndex++] ?? null;
    if (arg === null) problem ??= 'fewer arguments than conversions';
    segments.push({ conversion: { ...c, arg } });
  }
  return { segments, exact: problem === null, problem };
}

// ---- evaluation ------------------------------------------------------------

type Value = bigint | string;

/** What an evaluation reads: field readers by name, over one record. */
export interface EvalContext {
  rec: RecordRef;
  reader(name: string): FieldReader | undefined;
  /** 4 or 8: the kernel's `long` (for %ld / %lx). */
  longSize: number;
}

/** Evaluate an expression; ctx null evaluates constants only (a field read gives NaN-like null). */
export function evaluate(e: Expr, ctx: EvalContext | null): Value | null {
  switch (e.k) {
    case 'num':
      return U64(e.v);
    case 'str':
      return e.v;
    case 'field': {
      if (ctx === null) return null;
      const r = ctx.reader(e.name);
      if (r === undefined || !r.fits(ctx.rec)) return null;
      if (r.field.isString) return r.str(ctx.rec);
      // Zero-extended, as libtraceevent reads a number.
      return U64(BigInt.asUintN(r.field.size * 8, r.big(ctx.rec)));
    }
    case 'getStr': {
      if (ctx === null) return null;
      const r = ctx.reader(e.name);
      return r === undefined ? null : r.str(ctx.rec);
    }
    case 'unary': {
      const a = num(evaluate(e.a, ctx));
      if (a === null) return null;
      if (e.op === '-') return U64(-a);
      if (e.op === '~') return U64(~a);
      return a === 0n ? 1n : 0n;
    }
    case 'binary': {
      if (e.op === '&&' || e.op === '||') {
        const a = num(evaluate(e.a, ctx));
        if (a === null) return null;
        if (e.op === '&&' && a === 0n) return 0n;
        if (e.op === '||' && a !== 0n) return 1n;
        const b = num(evaluate(e.b, ctx));
        return b === null ? null : b !== 0n ? 1n : 0n;
      }
      const a = num(evaluate(e.a, ctx));
      const b = num(evaluate(e.b, ctx));
      if (a === null || b === null) return null;
      return binary(e.op, a, b);
    }
    case 'cond': {
      const c = num(evaluate(e.c, ctx));
      if (c === null) return null;
      return evaluate(c !== 0n ? e.a : e.b, ctx);
    }
    case 'cast': {
      const a = num(evaluate(e.a, ctx));
      if (a === null) return null;
      return U64(e.signed ? BigInt.asIntN(e.bits, a) : BigInt.asUintN(e.bits, a));
    }
    case 'flags': {
      let v = num(evaluate(e.value, ctx));
      if (v === null) return null;
      let out = '';
      let printed = false;
      for (const [fv, name] of e.table) {
        if (v === 0n && fv === 0n) {
          out += name;
          printed = true;
          break;
        }
        if (fv !== 0n && (v & fv) === fv) {
          if (printed) out += e.delim;
          out += name;
          printed = true;
          v &= ~fv;
        }
      }
      if (v !== 0n) out += (printed ? e.delim : '') + '0x' + v.toString(16);
      return out;
    }
    case 'symbolic': {
      const v = num(evaluate(e.value, ctx));
      if (v === null) return null;
      for (const [fv, name] of e.table) if (fv === v) return name;
      return '0x' + v.toString(16);
    }
    case 'unsupported':
      return fallback(e, ctx);
  }
}

function num(v: Value | null): bigint | null {
  return typeof v === 'bigint' ? v : null;
}

function binary(op: string, a: bigint, b: bigint): bigint | null {
  switch (op) {
    case '|':
      return a | b;
    case '&':
      return a & b;
    case '^':
      return a ^ b;
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    case '<':
      return a < b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    case '<<':
      return U64(a << (b & 63n));
    case '>>':
      return a >> (b & 63n);
    case '+':
      return U64(a + b);
    case '-':
      return U64(a - b);
    case '*':
      return U64(a * b);
    case '/':
      return b === 0n ? null : a / b;
    case '%':
      return b === 0n ? null : a % b;
    default:
      return null;
  }
}

/** Beyond the evaluator: the first field the expression reads, as a number. */
function fallback(e: Expr, ctx: EvalContext | null): Value | null {
  const name = firstField(e);
  if (name === null || ctx === null) return null;
  return evaluate({ k: 'field', name }, ctx);
}

function firstField(e: Expr): string | null {
  switch (e.k) {
    case 'field':
    case 'getStr':
      return e.name;
    case 'unary':
    case 'cast':
      return firstField(e.a);
    case 'binary':
      return firstField(e.a) ?? firstField(e.b);
    case 'cond':
      return firstField(e.c) ?? firstField(e.a) ?? firstField(e.b);
    case 'flags':
    case 'symbolic':
      return firstField(e.value);
    case 'unsupported':
      for (const a of e.args) {
        const f = firstField(a);
        if (f !== null) return f;
      }
      return null;
    default:
      return null;
  }
}

/** Names of the fields an expression reads. */
export function fieldsRead(e: Expr | null, into: Set<string> = new Set()): Set<string> {
  if (e === null) return into;
  switch (e.k) {
    case 'field':
    case 'getStr':
      into.add(e.name);
      break;
    case 'unary':
    case 'cast':
      fieldsRead(e.a, into);
      break;
    case 'binary':
      fieldsRead(e.a, into);
      fieldsRead(e.b, into);
      break;
    case 'cond':
      fieldsRead(e.c, into);
      fieldsRead(e.a, into);
      fieldsRead(e.b, into);
      break;
    case 'flags':
    case 'symbolic':
      fieldsRead(e.value, into);
      break;
    case 'unsupported':
      for (const a of e.args) fieldsRead(a, into);
      break;
  }
  return into;
}

// ---- printf ------------------------------------------------------------------

/** One conversion applied to a value, as C's printf (with libtraceevent's casts) prints it. */
export function formatConversion(c: Conversion, v: Value | null, longSize: number): string {
  if (v === null) return pad(c, '?');
  if (c.conv === 's') {
    const s = typeof v === 'string' ? v : v.toString(10);
    return pad(c, c.precision !== null ? s.slice(0, c.precision) : s);
  }
  if (typeof v === 'string') return pad(c, v);
  if (c.conv === 'c') return pad(c, String.fromCharCode(Number(v & 0xffn)));
  if (c.conv === 'p') return pad(c, '0x' + v.toString(16));
  const bits =
    c.length === 'hh'
      ? 8
      : c.length === 'h'
        ? 16
        : c.length === 'll' || c.length === 'j' || c.length === 'L'
          ? 64
          : c.length === 'l' || c.length === 'z' || c.length === 't'
            ? longSize * 8
            : 32;
  const signed = c.conv === 'd' || c.conv === 'i';
  const x = signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  const neg = x < 0n;
  const mag = neg ? -x : x;
  let digits =
    c.conv === 'x'
      ? mag.toString(16)
      : c.conv === 'X'
        ? mag.toString(16).toUpperCase()
        : c.conv === 'o'
          ? mag.toString(8)
          : mag.toString(10);
  if (c.precision !== null) digits = c.precision === 0 && mag === 0n ? '' : digits.padStart(c.precision, '0');
  let prefix = neg ? '-' : signed && c.flags.includes('+') ? '+' : signed && c.flags.includes(' ') ? ' ' : '';
  if (c.flags.includes('#') && mag !== 0n) {
    if (c.conv === 'x') prefix += '0x';
    else if (c.conv === 'X') prefix += '0X';
    else if (c.conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
  }
  const width = c.width ?? 0;
  if (c.flags.includes('0') && !c.flags.includes('-') && c.precision === null && prefix.length + digits.length < width)
    digits = digits.padStart(width - prefix.length, '0');
  return pad(c, prefix + digits);
}

function pad(c: Conversion, s: string): string {
  const width = c.width ?? 0;
  if (s.length >= width) return s;
  return c.flags.includes('-') ? s.padEnd(width) : s.padStart(width);
}
