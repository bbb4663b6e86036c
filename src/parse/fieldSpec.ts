// Kernel `key=value` payloads read by one interpreter of a table per event:
// each step is the literal before a value (`prev_comm=`, ` prev_pid=`) and what
// the value is. A string value runs to the next step's literal (comms may hold
// blanks, `=` and `:`), so the literals are what the line is cut at. The same
// table says, for a line that does not fit, what was expected where; and it
// names the kernel fields, which the binary readers (tracefs/schedModel) look up
// in a recording's event format.

import { EventKind, eventName } from '../model/eventNames';
import { ascii, type LineCursor } from './cursor';

export const enum Val {
  /** Nothing: the literal alone (` ==> `). */
  None = 0,
  /** A string, running to the next step's literal (or the end of the line). */
  Str = 1,
  /** A decimal integer. */
  Int = 2,
  /** A CPU number: an integer >= 0. */
  Cpu = 3,
}

export interface FieldStep {
  /** The literal before the value. */
  key: string;
  value: Val;
  /** The kernel field this value is (null for a literal alone). */
  field: string | null;
  /**
   * Where the literal is: right where the previous value ended (after blanks,
   * with `blanks`), or searched for from there (the default, for the values a
   * string runs into and for fields in between that are not read).
   */
  anchored?: boolean;
  blanks?: boolean;
  /** The literal may be missing; its value is then NaN. */
  optional?: boolean;
  /** Something must follow the value; the message says what. */
  followedBy?: string;
  /** The text shows the field through its print format (prev_state letters): binary readers render it, not read it. */
  rendered?: boolean;
  /** A number printed with at least this many digits (`%03d`): fewer at the line's end is a cut line. */
  width?: number;
}

export interface PayloadSpec {
  /** The event, whose name (KNOWN_EVENTS) error messages give. */
  kind: Exclude<EventKind, EventKind.Other>;
  steps: readonly FieldStep[];
}

/** A step with every property set, so that read() sees one object shape (a monomorphic hot loop). */
class CompiledStep {
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly value: Val;
  readonly field: string | null;
  readonly anchored: boolean;
  readonly blanks: boolean;
  readonly optional: boolean;
  readonly rendered: boolean;
  readonly followedBy: string | null;
  readonly width: number;

  constructor(s: FieldStep) {
    this.key = s.key;
    this.bytes = ascii(s.key);
    this.value = s.value;
    this.field = s.field;
    this.anchored = s.anchored === true;
    this.blanks = s.blanks === true;
    this.optional = s.optional === true;
    this.rendered = s.rendered === true;
    this.followedBy = s.followedBy ?? null;
    this.width = s.width ?? 0;
  }
}

const MAX_STEPS = 8;

/** What one payload held: per step, a number (Int, Cpu) or a range (Str). */
export class PayloadFields {
  readonly num = new Float64Array(MAX_STEPS);
  readonly start = new Int32Array(MAX_STEPS);
  readonly end = new Int32Array(MAX_STEPS);
}

export class FieldTable {
  readonly event: string;
  private readonly steps: CompiledStep[];

  constructor(spec: PayloadSpec) {
    this.event = eventName(spec.kind);
    if (spec.steps.length > MAX_STEPS) throw new Error(`${this.event}: more than ${MAX_STEPS} steps`);
    this.steps = spec.steps.map((s) => new CompiledStep(s));
  }

  /** Index of the step of kernel field `name`. */
  step(name: string): number {
    const k = this.steps.findIndex((s) => s.field === name);
    if (k < 0) throw new Error(`${this.event} has no field ${name}`);
    return k;
  }

  /** Index of the step whose literal is `key` (a literal alone has no field): its num is 0 when found, NaN when an optional one was not. */
  literalStep(key: string): number {
    const k = this.steps.findIndex((s) => s.key === key);
    if (k < 0) throw new Error(`${this.event} has no literal '${key}'`);
    return k;
  }

  /**
   * The kernel fields a binary record gives as they are (not `rendered`), and
   * whether each is a string: what the binary readers look up in an event format.
   */
  get recordFields(): { name: string; isString: boolean }[] {
    return this.steps.flatMap((s) =>
      s.field === null || s.rendered ? [] : [{ name: s.field, isString: s.value === Val.Str }],
    );
  }

  /** The literal of the first step (what tells this form from others). */
  get head(): Uint8Array {
    return this.steps[0].bytes;
  }

  /**
   * Read the payload that starts at p into `out`. Returns null when it fits,
   * else why not, naming what was expected where. `headAtP`: the caller has
   * already matched the head (the first step's literal) at p, to tell this
   * form from another; it is not compared twice.
   */
  read(c: LineCursor, p: number, out: PayloadFields, headAtP = false): string | null {
    const steps = this.steps;
    let i = p;
    let open = -1; // a string value waiting for the next literal to end it
    for (let k = 0; k < steps.length; k++) {
      const st = steps[k];
      let at: number;
      if (k === 0 && headAtP) at = p;
      else if (k === 0 || st.anchored) {
        if (st.blanks) i = c.blanks(i);
        at = c.at(i, st.bytes) ? i : -1;
      } else at = c.find(st.bytes, i);
      if (at < 0) {
        if (st.optional) {
          out.num[k] = NaN;
          continue;
        }
        return `${this.event}: expected '${st.key}'${k > 0 ? ` after ${describe(steps[k - 1])}` : ''}`;
      }
      if (open >= 0) {
        out.end[open] = at;
        open = -1;
      }
      const v = at + st.bytes.length;
      i = v;
      if (st.value === Val.Str) {
        out.start[k] = v;
        open = k;
        continue;
      }
      if (st.value === Val.None) {
        out.num[k] = 0;
        continue;
      }
      const n = c.int(v);
      if (n !== n || (st.value === Val.Cpu && n < 0))
        return `${this.event}: expected a number after ${st.key.endsWith('=') ? st.key.trim() : `'${st.key}'`}`;
      if (st.width > 0 && c.pos === c.end && c.pos - v < st.width) return `${this.event}: ${st.field} cut short`;
      if (st.followedBy !== null && c.pos >= c.end)
        return `${this.event}: expected '${st.followedBy}' after ${st.field} (line cut short?)`;
      out.num[k] = n;
      i = c.pos;
    }
    if (open >= 0) out.end[open] = c.end;
    return null;
  }
}

function describe(s: CompiledStep): string {
  return s.field ?? `'${s.key.trim()}'`;
}

// ---- the tables --------------------------------------------------------------

/**
 * `prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s next_pid=%d next_prio=%d`; the raw
 * form (`trace-cmd report -R`, tools without the event's print format) has the fields alone, prev_state as
 * its number and no ` ==> `: `prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%ld next_comm=%s ...`.
 */
export const SWITCH = new FieldTable({
  kind: EventKind.Switch,
  steps: [
    { key: 'prev_comm=', value: Val.Str, field: 'prev_comm' },
    { key: ' prev_pid=', value: Val.Int, field: 'prev_pid' },
    { key: ' prev_state=', value: Val.Str, field: 'prev_state', rendered: true },
    { key: ' ==>', value: Val.None, field: null, optional: true },
    { key: ' next_comm=', value: Val.Str, field: 'next_comm' },
    { key: ' next_pid=', value: Val.Int, field: 'next_pid', followedBy: ' next_prio=' },
  ],
});

/** `comm=%s pid=%d prio=%d [success=1] target_cpu=%03d` (sched_waking, sched_wakeup, sched_wakeup_new) */
export const WAKEUP = new FieldTable({
  kind: EventKind.Wakeup,
  steps: [
    { key: 'comm=', value: Val.Str, field: 'comm' },
    { key: ' pid=', value: Val.Int, field: 'pid' },
    { key: ' target_cpu=', value: Val.Cpu, field: 'target_cpu', width: 3 },
  ],
});

/** `comm=%s pid=%d prio=%d orig_cpu=%d dest_cpu=%d` */
export const MIGRATE = new FieldTable({
  kind: EventKind.Migrate,
  steps: [
    { key: 'comm=', value: Val.Str, field: 'comm' },
    { key: ' pid=', value: Val.Int, field: 'pid' },
    { key: ' orig_cpu=', value: Val.Cpu, field: 'orig_cpu' },
    { key: ' dest_cpu=', value: Val.Cpu, field: 'dest_cpu' },
  ],
});

/** `[vcpu %u ]reason %s rip 0x%lx ...` (x86; the vcpu id since 5.x) */
export const KVM_EXIT = new FieldTable({
  kind: EventKind.KvmExit,
  steps: [
    { key: 'vcpu ', value: Val.Int, field: 'vcpu_id', optional: true, rendered: true },
    { key: 'reason ', value: Val.Str, field: 'exit_reason', anchored: true, blanks: true, rendered: true },
    { key: ' rip', value: Val.None, field: null },
  ],
});

/** `vcpu %u[, rip 0x%lx ...]` */
export const KVM_ENTRY = new FieldTable({
  kind: EventKind.KvmEntry,
  steps: [{ key: 'vcpu ', value: Val.Int, field: 'vcpu_id', optional: true, rendered: true }],
});
