// The model worker's host, as the page drives it (messages in, replies out),
// on real recordings and a generated trace of a few MB: what the page gets
// equals what parsing, assembling and analysing the same files directly gives;
// Cancel stops a parse; the newest request wins; a companion dropped mid-parse
// joins; jobs of open runs are answered while a big file parses.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { computePanel } from '../analysis/panel';
import { loadInputs } from '../cli/loadFiles';
import { groupSlicesByCpu } from '../model/cpuSlices';
import { assembleRuns } from '../model/runs';
import { generateTrace } from '../synth/generate';
import { fixturePath } from '../../test/fixtures';
import { ModelHost } from './host';
import type { RunMessage, WorkerReply, WorkerRequest } from './protocol';

function fixtureFile(name: string): File {
  const raw = readFileSync(fixturePath(name));
  return new File([name.endsWith('.gz') ? gunzipSync(raw) : raw], name.replace(/\.gz$/, ''));
}

let big: File;
beforeAll(() => {
  const parts: string[] = [];
  generateTrace({ cpus: 8, vms: 2, vcpus: 4, seconds: 1, policy: 'ple-on', format: 'script', seed: 1 }, (s) =>
    parts.push(s),
  );
  big = new File([parts.join('')], 'big.script.txt');
});

/** A host and every reply it posts, with a way to wait for one. */
function harness() {
  const replies: WorkerReply[] = [];
  const waiters: { test: (r: WorkerReply) => boolean; resolve: (r: WorkerReply) => void }[] = [];
  const host = new ModelHost((msg) => {
    // As postMessage would: a structured clone.
    const r = structuredClone(msg);
    replies.push(r);
    for (const w of [...waiters])
      if (w.test(r)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(r);
      }
  });
  const send = (m: WorkerRequest): void => host.handle(m);
  const until = (test: (r: WorkerReply) => boolean): Promise<WorkerReply> => {
    const seen = replies.find(test);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ test, resolve }));
  };
  const answer = (id: number) => until((r) => r.id === id && r.type !== 'progress');
  return { host, replies, send, until, answer };
}

const fresh = (r: RunMessage | { id: number }): RunMessage => r as RunMessage;

describe('model host', () => {
  it('gives the page drawn slices and answers jobs as parsing and analysing the files directly does', async () => {
    const files = ['qemu-tcg-2vm-x2vcpu.map.txt.gz', 'qemu-tcg-2vm-x2vcpu.timehist.txt.gz'];
    const h = harness();
    h.send({ type: 'open', id: 1, files: files.map(fixtureFile), target: { kind: 'app' } });
    const opened = await h.answer(1);
    if (opened.type !== 'opened' || !opened.runs) throw new Error(`unexpected ${opened.type}`);
    const direct = assembleRuns(await loadInputs(files.map(fixturePath)));
    expect(opened.runs).toHaveLength(direct.length);
    const run = fresh(opened.runs[0]);
    expect(run.companions).toEqual(direct[0].companions.map((c) => c.replace(/\.gz$/, '')));
    expect(run.vms).toEqual(direct[0].vms);
    expect(run.model.switchCount).toBe(direct[0].model.switches.length);
    expect(run.slices).toEqual(groupSlicesByCpu(direct[0].model));
    // The head only: no event columns on the page.
    expect('switches' in run.model).toBe(false);
    const query = { range: null, cpus: null };
    h.send({ type: 'job', id: 2, runId: run.id, slot: null, job: { kind: 'panel', query } });
    const job = await h.answer(2);
    if (job.type !== 'job' || job.status !== 'ok') throw new Error('job failed');
    const { computeMs: _a, ...got } = job.result as ReturnType<typeof computePanel>;
    const { computeMs: _b, ...want } = computePanel(direct[0], query);
    expect(got).toEqual(want);
  });

  it('stops a parse on Cancel: no result, and it had not read the whole file', async () => {
    const h = harness();
    h.send({ type: 'open', id: 1, files: [big], target: { kind: 'app' } });
    await h.until((r) => r.type === 'progress' && r.id === 1 && r.bytesRead > 0);
    h.send({ type: 'cancel', id: 1 });
    const r = await h.answer(1);
    expect(r.type).toBe('cancelled');
    if (r.type === 'cancelled') {
      expect(r.bytesRead).toBeGreaterThan(0);
      expect(r.bytesRead).toBeLessThan(big.size);
      expect(r.totalBytes).toBe(big.size);
    }
    await new Promise((res) => setTimeout(res, 50));
    expect(h.replies.filter((x) => x.type === 'opened')).toHaveLength(0);
    expect(h.host.runs()).toHaveLength(0);
  });

  it('shows the newest drop: a small trace dropped while a big one parses wins, the big one is cancelled', async () => {
    const h = harness();
    h.send({ type: 'open', id: 1, files: [big], target: { kind: 'app' } });
    await h.until((r) => r.type === 'progress' && r.id === 1);
    h.send({ type: 'open', id: 2, files: [fixtureFile('qemu-tcg-2vm-x2vcpu.script.txt.gz')], target: { kind: 'app' } });
    const small = await h.answer(2);
    const first = await h.answer(1);
    expect(first.type).toBe('cancelled');
    expect(small.type).toBe('opened');
    await new Promise((res) => setTimeout(res, 50));
    expect(h.replies.filter((x) => x.type === 'opened').map((x) => x.id)).toEqual([2]);
    expect(h.host.runs().map((r) => r.run.name)).toEqual(['qemu-tcg-2vm-x2vcpu.script.txt']);
  });

  it('joins a companion dropped mid-parse to the trace being parsed', async () => {
    const h = harness();
    h.send({ type: 'open', id: 1, files: [big], target: { kind: 'app' } });
    await h.until((r) => r.type === 'progress' && r.id === 1);
    const csv = new File(['tid,vm\n1,guest-a\n'], 'vms.csv');
    h.send({ type: 'open', id: 2, files: [csv], target: { kind: 'app' } });
    expect(await h.answer(2)).toEqual({ type: 'joined', id: 2, into: 1 });
    const opened = await h.answer(1);
    if (opened.type !== 'opened' || !opened.runs) throw new Error(`unexpected ${opened.type}`);
    expect(fresh(opened.runs[0]).name).toBe('big.script.txt');
    expect(fresh(opened.runs[0]).companions).toContain('vms.csv');
  });

  it('answers jobs of an open run while a big file parses, and keeps that run when the parse is cancelled', async () => {
    const h = harness();
    h.send({ type: 'open', id: 1, files: [fixtureFile('qemu-tcg-2vm-x2vcpu.script.txt.gz')], target: { kind: 'app' } });
    const opened = await h.answer(1);
    if (opened.type !== 'opened' || !opened.runs) throw new Error('no run');
    const runId = opened.runs[0].id;
    h.send({ type: 'open', id: 2, files: [big], target: { kind: 'add' } });
    await h.until((r) => r.type === 'progress' && r.id === 2);
    h.send({ type: 'job', id: 3, runId, slot: null, job: { kind: 'panel', query: { range: null, cpus: null } } });
    const job = await h.answer(3);
    expect(job.type === 'job' && job.status).toBe('ok');
    // The big file is still being read when the answer comes.
    expect(h.replies.some((r) => r.id === 2 && r.type !== 'progress')).toBe(false);
    h.send({ type: 'cancel', id: 2 });
    expect((await h.answer(2)).type).toBe('cancelled');
    expect(h.host.runs().map((r) => r.id)).toEqual([runId]);
  });
});
