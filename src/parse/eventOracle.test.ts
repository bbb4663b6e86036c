// The event-line parsers (perf script, ftrace / trace-cmd report) against a
// small regex oracle written for this test, on real recordings and on damaged
// copies of them: every sched_switch line the oracle reads must be in the model
// exactly (time, CPU, prev and next tid, prev state letter), and the parser may
// take no switch from a line the oracle does not recognise as one. The same for
// wakeups (sched_waking / sched_wakeup / sched_wakeup_new: time, tid, target
// CPU, kind) and sched_migrate_task (time, tid, from and to CPU).

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { CPU_LIMIT, TID_LIMIT } from '../model/builder';
import { PREV_STATE_LABELS, WakeupKind, type TraceModel } from '../model/types';
import { mulberry32 } from '../synth/random';
import { mutate } from '../testing/damage';
import { parseTrace, textSource } from './parseInput';

const PAYLOAD =
  /sched_switch:\s+prev_comm=(.*?) prev_pid=(\d+) prev_prio=-?\d+ prev_state=([A-Za-z]\+?) ==> next_comm=(.*?) next_pid=(\d+) next_prio=-?\d+$/;
/** perf script: `comm [pid/]tid [cpu] sec.frac: sched:sched_switch: ...` */
const PERF = new RegExp(String.raw`^\s*\S.*?\s+(?:-?\d+/)?-?\d+\s+\[(\d+)\]\s+(\d+)\.(\d+):\s+sched:` + PAYLOAD.source);
/** ftrace / trace-cmd: `comm-pid [(tgid)] [cpu] [flags] sec.frac: sched_switch: ...` (a blank before `[cpu]`, as ftrace prints) */
const FTRACE = new RegExp(
  String.raw`^\s*\S.*?-\d+\s+(?:\(\s*[-\d]+\)\s+)?(?<= )\[(\d+)\]\s+(?:\S{4,5}\s+)?(\d+)\.(\d+):\s+` + PAYLOAD.source,
);

interface Sw {
  key: string;
  time: number;
}

/** The switches the oracle reads in `text`, with their time relative to `origin`. */
function oracle(text: string, re: RegExp, origin: { sec: number; ns: number }): Sw[] {
  const out: Sw[] = [];
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    // One event a line: the parsers anchor on the first ` [cpu]` (a line joined to the next is the first's).
    if (!m || (line.match(/\s\[\d+\]/g) ?? []).length !== 1) continue;
    const [, cpu, sec, frac, , prevPid, state, , nextPid] = m;
    if (frac.length > 9) continue;
    const ns = Number(frac.padEnd(9, '0'));
    const time = (Number(sec) - origin.sec) * 1e9 + (ns - origin.ns);
    const letter = state === 'R+' ? 'R+' : state;
    out.push({ key: `${time} ${Number(cpu)} ${prevPid} ${letter} ${nextPid}`, time });
  }
  return out;
}

/** The model's switches in the oracle's terms (the state as its letter, as the kernel prints it). */
function modelSwitches(m: TraceModel): string[] {
  const out: string[] = [];
  const s = m.switches;
  for (let i = 0; i < s.length; i++) {
    const state = PREV_STATE_LABELS[s.prevState[i]];
    out.push(`${s.time[i]} ${s.cpu[i]} ${m.tasks.tid[s.prev[i]]} ${state} ${m.tasks.tid[s.next[i]]}`);
  }
  return out;
}

function count(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

const NOISE = ['0', '9', ' ', '  ', '[', ']', '/', ':', '.', '-', '=', '>', 'A', 'é', '\t'];

/**
 * 8 damaged copies (seeds 1-8, 300 mutations each) of a recording's first 80 kB, parsed; with the clean
 * head's time span and highest CPU.
 */
async function damagedCopies(file: string) {
  const clean = fixtureText(file);
  const head = clean.slice(0, clean.indexOf('\n', 80000) + 1);
  const base = await parseTrace(textSource(head));
  const copies: { seed: number; damaged: string; m: TraceModel }[] = [];
  for (let seed = 1; seed <= 8; seed++) {
    const damaged = mutate(head, mulberry32(seed), 300, NOISE, { replace: 0.4, remove: 0.6, insert: 0.85 });
    copies.push({ seed, damaged, m: await parseTrace(textSource(damaged)) });
  }
  return { span: base.switches.time[base.switches.length - 1], cpus: Math.max(...base.switches.cpu), copies };
}

const CASES: [file: string, re: RegExp][] = [
  ['qemu-tcg-2vm-x2vcpu.script.txt', PERF],
  ['qemu-tcg-2vm-x2vcpu.script-pidtid.txt', PERF],
  ['qemu-nodebug-3vm.script.txt', PERF],
  ['ftrace-qemu-3vm-x2vcpu.ftrace.txt', FTRACE],
];

describe('event lines against the regex oracle', () => {
  it.each(CASES)('%s: every switch the oracle reads, nothing else', async (file, re) => {
    const text = fixtureText(file);
    const m = await parseTrace(textSource(text));
    const want = oracle(text, re, m.origin);
    expect(want.length).toBeGreaterThan(100);
    // Kernel-form recordings: the oracle reads every switch line.
    expect(count(modelSwitches(m))).toEqual(count(want.map((w) => w.key)));
  });

  it.each(CASES)('%s, damaged: the oracle’s switches kept, none invented', async (file, re) => {
    const { span, cpus, copies } = await damagedCopies(file);
    for (const { seed, damaged, m } of copies) {
      // Only switches inside the clean trace's time span and CPUs: damage elsewhere may be an outlier the model drops.
      const want = oracle(damaged, re, m.origin).filter((w) => w.time >= 0 && w.time <= span);
      const got = count(modelSwitches(m));
      const inRange = want.filter((w) => Number(w.key.split(' ')[1]) <= cpus);
      for (const [k, n] of count(inRange.map((w) => w.key)))
        expect(got.get(k) ?? 0, `seed ${seed}: ${k}`).toBeGreaterThanOrEqual(n);
      // What the parser took beyond the oracle came from lines naming sched_switch that the oracle refused.
      const candidates = damaged.split('\n').filter((l) => l.includes('sched_switch') && !re.test(l)).length;
      const all = oracle(damaged, re, m.origin).length;
      expect(m.switches.length, `seed ${seed}`).toBeLessThanOrEqual(all + candidates);
      // Every line the parser did not take is reported (counted, with a first message).
      if (m.switches.length < all) expect(m.skippedLines, `seed ${seed}`).toBeGreaterThan(0);
    }
  });
});

/** A line prefix regex (`PERF`, `FTRACE`) with the switch payload replaced by another event's. */
function withPayload(re: RegExp, payload: RegExp): RegExp {
  return new RegExp(re.source.replace(PAYLOAD.source, payload.source));
}

const WAKE_KINDS: Record<string, WakeupKind> = {
  sched_waking: WakeupKind.Waking,
  sched_wakeup: WakeupKind.Wakeup,
  sched_wakeup_new: WakeupKind.WakeupNew,
};

/** A payload the oracle reads: its regex, the model rows it stands for (as keys), and a word its lines hold. */
interface OtherEvent {
  what: string;
  payload: RegExp;
  /** The key of one match, from the groups after the prefix's cpu, sec, frac. */
  key: (groups: string[]) => string;
  /** The CPU a key names that the model must have (target / destination). */
  cpuOf: (key: string) => number;
  model: (m: TraceModel) => string[];
  word: string;
}

const OTHER_EVENTS: OtherEvent[] = [
  {
    what: 'wakeups',
    payload:
      // target_cpu is %03d: fewer digits at the line's end is a cut line.
      /(sched_waking|sched_wakeup|sched_wakeup_new):\s+comm=(.*?) pid=(\d+) prio=-?\d+(?: success=1)? target_cpu=(\d{3,})$/,
    key: ([kind, , pid, target]) => `${pid} ${Number(target)} ${WAKE_KINDS[kind]}`,
    cpuOf: (key) => Number(key.split(' ')[2]),
    model: (m) => {
      const w = m.wakeups;
      return Array.from(w.time, (t, i) => `${t} ${m.tasks.tid[w.task[i]]} ${w.cpu[i]} ${w.kind[i]}`);
    },
    word: 'sched_wak',
  },
  {
    what: 'migrations',
    payload: /sched_migrate_task:\s+comm=(.*?) pid=(\d+) prio=-?\d+ orig_cpu=(\d+) dest_cpu=(\d+)$/,
    key: ([, pid, from, to]) => `${pid} ${Number(from)} ${Number(to)}`,
    cpuOf: (key) => Math.max(Number(key.split(' ')[2]), Number(key.split(' ')[3])),
    model: (m) => {
      const g = m.migrations;
      return Array.from(g.time, (t, i) => `${t} ${m.tasks.tid[g.task[i]]} ${g.fromCpu[i]} ${g.toCpu[i]}`);
    },
    word: 'sched_migrate_task',
  },
];

/**
 * The events of one kind the oracle reads in `text` (`time key`, time relative to `origin`). `plain`: the
 * line's prefix is as the tools print it, so the model must take it: every number before `[cpu]` a possible
 * thread id, ftrace's tgid a number or dashes, the CPU in Linux's range, a blank after the timestamp's colon.
 */
function otherOracle(text: string, re: RegExp, ev: OtherEvent, origin: { sec: number; ns: number }) {
  const full = withPayload(re, ev.payload);
  const out: (Sw & { plain: boolean })[] = [];
  for (const line of text.split('\n')) {
    const m = full.exec(line);
    if (!m || (line.match(/\s\[\d+\]/g) ?? []).length !== 1) continue;
    const [, cpu, sec, frac, ...rest] = m;
    if (frac.length > 9) continue;
    const time = (Number(sec) - origin.sec) * 1e9 + (Number(frac.padEnd(9, '0')) - origin.ns);
    const prefix = line.slice(0, line.search(/\s\[\d+\]/));
    const plain =
      (prefix.match(/\d+/g) ?? []).every((n) => Number(n) < TID_LIMIT) &&
      /^\(\s*(?:\d+|-+)\)$/.test(/\(\s*[-\d]+\)/.exec(prefix)?.[0] ?? '(0)') &&
      Number(cpu) < CPU_LIMIT &&
      line.includes(`${sec}.${frac}: `);
    out.push({ key: `${time} ${ev.key(rest)}`, time, plain });
  }
  return out;
}

describe('wakeup and migration lines against the regex oracle', () => {
  const cases = CASES.flatMap(([file, re]) => OTHER_EVENTS.map((ev) => [file, re, ev] as const));

  it.each(cases)('%s: every one the oracle reads, nothing else (%#)', async (file, re, ev) => {
    const text = fixtureText(file);
    const m = await parseTrace(textSource(text));
    const want = otherOracle(text, re, ev, m.origin);
    if (ev.what === 'wakeups') expect(want.length).toBeGreaterThan(100);
    else expect(want.length).toBeGreaterThan(0);
    expect(count(ev.model(m))).toEqual(count(want.map((w) => w.key)));
  });

  it.each(cases)('%s, damaged: the oracle’s kept, none invented (%#)', async (file, re, ev) => {
    const { span, cpus, copies } = await damagedCopies(file);
    for (const { seed, damaged, m } of copies) {
      const all = otherOracle(damaged, re, ev, m.origin);
      const want = all.filter((w) => w.plain && w.time >= 0 && w.time <= span && ev.cpuOf(w.key) <= cpus);
      const got = count(ev.model(m));
      for (const [k, n] of count(want.map((w) => w.key)))
        expect(got.get(k) ?? 0, `seed ${seed}: ${k}`).toBeGreaterThanOrEqual(n);
      const full = withPayload(re, ev.payload);
      const candidates = damaged.split('\n').filter((l) => l.includes(ev.word) && !full.test(l)).length;
      expect(ev.model(m).length, `seed ${seed}`).toBeLessThanOrEqual(all.length + candidates);
    }
  });
});
