// The prev_state letters of every source, in one place: what each tool and
// kernel era prints for a task switched out, as lookup tables from a letter to
// a PrevState, and the reader of a rendered prev_state (`R+`, `D|K`, `(S)`).

import { PrevState } from '../model/types';
import type { LineCursor } from './cursor';

/** The letters every era agrees on. */
const COMMON: Record<string, PrevState> = {
  R: PrevState.Runnable,
  S: PrevState.Sleeping,
  D: PrevState.Uninterruptible,
  T: PrevState.Stopped,
  t: PrevState.Traced,
};

/** A lookup table letter -> PrevState (Other for letters not named). */
function table(letters: Record<string, PrevState>): Uint8Array {
  const t = new Uint8Array(128).fill(PrevState.Other);
  for (const [c, s] of Object.entries({ ...COMMON, ...letters })) t[c.charCodeAt(0)] = s;
  return t;
}

/** The kernel's own rendering (any era: `x` is TASK_DEAD before 4.14). */
export const KERNEL_LETTERS = table({
  X: PrevState.Dead,
  x: PrevState.Dead,
  Z: PrevState.Zombie,
  P: PrevState.Parked,
  I: PrevState.Idle,
});

/**
 * The libtraceevent plugin table `SDTtZXxW`, read as the bits of a ≥ 4.14
 * kernel (the plugin's table is the pre-4.14 one): its Z is the kernel's X
 * (0x10), X is Z (0x20), x is P (0x40) and W is I (0x80, idle kthread).
 */
export const PLUGIN_LETTERS = table({
  Z: PrevState.Dead,
  X: PrevState.Zombie,
  x: PrevState.Parked,
  W: PrevState.Idle,
});

/**
 * `perf sched timehist`'s state column. perf up to 6.x indexed the kernel's
 * report bits into the pre-4.14 string "RSDTtZXxKWP", so on current kernels it
 * prints Z for dead, X for zombie, x for parked, K for idle and W for preempted
 * (R+); later perf prints the kernel's own letters (X dead, Z zombie, P, I).
 * K, W and x only come from the old string: once one is seen, X and Z are read
 * the old way too (PERF_OLD_LETTERS).
 */
const PERF_BOTH = {
  P: PrevState.Parked,
  x: PrevState.Parked,
  I: PrevState.Idle,
  K: PrevState.Idle,
  W: PrevState.Preempted,
};
export const PERF_LETTERS = table({ ...PERF_BOTH, X: PrevState.Dead, Z: PrevState.Zombie });
export const PERF_OLD_LETTERS = table({ ...PERF_BOTH, X: PrevState.Zombie, Z: PrevState.Dead });

/** One letter through a table (Other past ASCII). */
export function letterState(letters: Uint8Array, c: number): PrevState {
  return c < 128 ? (letters[c] as PrevState) : PrevState.Other;
}

/**
 * prev_state in [start, end) of a line to a PrevState. Handles single letters
 * (≥ 4.14), `R+`, `|`-joined flags of older kernels (`D|K` killable sleep is D,
 * `S|W` is S, `D|N` is the pre-4.14 TASK_IDLE), the ancient `(S)` and the plugin
 * letters. Never fails: empty or numeric → Unknown, anything else → Other.
 */
export function readPrevState(c: LineCursor, start: number, end: number, plugin: boolean): PrevState {
  const buf = c.buf;
  const letters = plugin ? PLUGIN_LETTERS : KERNEL_LETTERS;
  while (start < end && buf[start] === 32) start++;
  while (end > start && buf[end - 1] === 32) end--;
  if (end - start >= 2 && buf[start] === 40 /* ( */ && buf[end - 1] === 41 /* ) */) {
    start++;
    end--;
  }
  const n = end - start;
  if (n === 0) return PrevState.Unknown;
  const c0 = buf[start];
  if (n === 1) return letterState(letters, c0);
  if (buf[end - 1] === 43 /* + */) {
    end--;
    if (end - start === 1) return c0 === 82 /* R */ ? PrevState.Preempted : letterState(letters, c0);
  }
  if (c0 >= 48 && c0 <= 57) return PrevState.Unknown; // a raw number: the format could not be evaluated
  // `|`-joined flags.
  let primary = -1;
  let hasN = false;
  for (let i = start; i < end; i++) {
    const ch = buf[i];
    if (ch === 124 /* | */) continue;
    const next = i + 1 < end ? buf[i + 1] : 124;
    if (next !== 124) return PrevState.Other; // a multi-letter word: not a flag list
    switch (ch) {
      case 83 /* S */:
      case 68 /* D */:
      case 84 /* T */:
      case 116 /* t */:
        if (primary >= 0) return PrevState.Other;
        primary = ch;
        break;
      case 75 /* K wakekill */:
      case 87 /* W waking (pre-4.14 kernels) */:
        if (plugin && ch === 87) return PrevState.Other;
        break;
      case 78 /* N noload */:
        hasN = true;
        break;
      default:
        return PrevState.Other;
    }
  }
  if (primary < 0) return PrevState.Other;
  if (primary === 68 && hasN) return PrevState.Idle; // TASK_IDLE = D|N on 4.2 .. 4.13
  return letterState(KERNEL_LETTERS, primary);
}

/**
 * prev_state as its number (`trace-cmd report -R`, tools without the event's
 * print format): the kernel's TASK_* bits, whose values changed at 4.14.
 *   ≥ 4.14: one of S 0x1, D 0x2, T 0x4, t 0x8, X 0x10, Z 0x20, P 0x40, I 0x80,
 *           R+ = 0x100 (TASK_REPORT_MAX, preempted); 0 is R.
 *   < 4.14: flags S 1, D 2, T 4, t 8, then (as the kernel's own print table
 *           names them) Z 16, X 32, x 64 (TASK_DEAD), K 128, W 256, P 512,
 *           N 1024; preempted is TASK_STATE_MAX alone (1024, 2048 or 4096 by
 *           version); D|N is TASK_IDLE (4.2-4.13).
 * A value only the old bits make (several bits, or one at 512 or above) marks
 * the file as old; before one is seen the number is read as ≥ 4.14 (every
 * current kernel), so 64, 128 and 256 read before it are counted (`guessed`).
 */
export class NumericPrevStates {
  old = false;
  /** Values of 64, 128 or 256 read as ≥ 4.14 before the file showed it is older: P, I, R+ (else x, K, W). */
  guessed = 0;
  /** The first value that showed the old bits, and how many guesses came before it (0 when none). */
  oldSince = -1;
  guessedBeforeOld = 0;

  read(v: number): PrevState {
    if (!(v >= 0) || v !== Math.floor(v)) return PrevState.Other;
    if (v === 0) return PrevState.Runnable;
    const single = (v & (v - 1)) === 0;
    if (!this.old && (!single || v >= 512)) {
      this.old = true;
      this.oldSince = v;
      this.guessedBeforeOld = this.guessed;
    }
    if (!this.old) {
      if (v >= 64) this.guessed++;
      return MODERN_BITS[31 - Math.clz32(v)] ?? PrevState.Other;
    }
    if (single && v >= 1024) return PrevState.Preempted;
    // K (128, wakekill) and W (256, waking) qualify the state; N (1024) with D is TASK_IDLE.
    let primary = PrevState.Other;
    let count = 0;
    for (let bit = 0; bit < OLD_BITS.length; bit++) {
      const s = OLD_BITS[bit];
      if (s !== null && v & (1 << bit)) {
        primary = s;
        count++;
      }
    }
    if (count !== 1) return PrevState.Other;
    if (primary === PrevState.Uninterruptible && v & 1024) return PrevState.Idle;
    return primary;
  }
}

const MODERN_BITS: PrevState[] = [
  PrevState.Sleeping,
  PrevState.Uninterruptible,
  PrevState.Stopped,
  PrevState.Traced,
  PrevState.Dead,
  PrevState.Zombie,
  PrevState.Parked,
  PrevState.Idle,
  PrevState.Preempted,
];
/** The states of the old flags by bit (null: K, W, N qualify a state and are no state of their own). */
const OLD_BITS: (PrevState | null)[] = [
  PrevState.Sleeping,
  PrevState.Uninterruptible,
  PrevState.Stopped,
  PrevState.Traced,
  PrevState.Zombie,
  PrevState.Dead,
  PrevState.Dead,
  null,
  null,
  PrevState.Parked,
];
