// The event-line parsers (perf script, ftrace / trace-cmd report) against a
// small regex oracle written for this test, on real recordings and on damaged
// copies of them: every sched_switch line the oracle reads must be in the model
// exactly (time, CPU, prev and next tid, prev state letter), and the parser may
// take no switch from a line the oracle does not recognise as one.

import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../test/fixtures';
import { PREV_STATE_LABELS, type TraceModel } from '../model/types';
import { mulberry32, type Random } from '../synth/random';
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

function mutate(text: string, rnd: Random, n: number): string {
  let t = text;
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * t.length);
    const what = rnd();
    const noise = NOISE[Math.floor(rnd() * NOISE.length)];
    if (what < 0.4) t = t.slice(0, at) + noise + t.slice(at + 1);
    else if (what < 0.6) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 4));
    else if (what < 0.85) t = t.slice(0, at) + noise + t.slice(at);
    else {
      const nl = t.indexOf('\n', at);
      if (nl > at) t = t.slice(0, at) + t.slice(nl);
    }
  }
  return t;
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
    const clean = fixtureText(file);
    const head = clean.slice(0, clean.indexOf('\n', 80000) + 1);
    const base = await parseTrace(textSource(head));
    const span = base.switches.time[base.switches.length - 1];
    const cpus = Math.max(...base.switches.cpu);
    for (let seed = 1; seed <= 8; seed++) {
      const damaged = mutate(head, mulberry32(seed), 300);
      const m = await parseTrace(textSource(damaged));
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
