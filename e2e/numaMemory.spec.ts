// NUMA memory in real Chromium (issue 21): a `schedmap synth --nodes 2` trace dropped with its lscpu -p and
// its OUT.numastat (generated here, by the CLI), plus a public 2-node `numastat -m` for the host's node table.
// The VM table's bars, the node memory table and the comparison's memory rows must show what
// `schedmap analyze --json` computes from the same files. This machine has one node, so AutoNUMA never fires
// here: the NUMA balancing lines are written into the synth trace after the kernel's TP_printk formats (as
// src/parse/numaEvents.test.ts does for real recordings), next to a vCPU thread's own lines, and must come
// back as marks on the map with their counts.

import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { num, pct } from '../src/model/format';
import { fixturePath } from '../test/fixtures';
import { analyze, SHOTS, type Json } from './helpers';

const TMP = mkdtempSync(join(tmpdir(), 'schedmap-numa-'));
const HOST_M = fixturePath('companions/numa/insights-rhel78-numastat-m-2node.txt');

function synth(name: string, format: string, ...flags: string[]): string {
  const out = join(TMP, name);
  execFileSync(process.execPath, [
    'bin/schedmap.mjs',
    'synth',
    ...['--cpus', '8', '--vms', '2', '--vcpus', '2', '--nodes', '2', '--seconds', '0.3'],
    ...flags,
    ...['--format', format, '-o', out],
  ]);
  return out;
}

/** Balancing lines about one vCPU thread (pid/tid), each after the n-th of its own lines, at its time and CPU. */
function withBalancing(file: string, pid: number, tid: number): { kinds: Record<string, number> } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const own = lines.map((l, i) => (l.includes(` ${pid}/${tid} `) ? i : -1)).filter((i) => i >= 0);
  const at = (k: number): { i: number; cpu: string; ts: string } => {
    const i = own[Math.floor((own.length * k) / 7)];
    const m = /\[(\d+)\] (\d+\.\d+):/.exec(lines[i])!;
    return { i, cpu: m[1], ts: m[2] };
  };
  const head = (p: { cpu: string; ts: string }) => `       CPU 0/KVM  ${pid}/${tid}  [${p.cpu}] ${p.ts}:`;
  const move = (p: { cpu: string; ts: string }) =>
    `${head(p)} sched:sched_move_numa: pid=${tid} tgid=${pid} ngid=${pid} src_cpu=${Number(p.cpu)} src_nid=0 dst_cpu=4 dst_nid=1`;
  const extra = [
    { k: 1, line: move },
    { k: 2, line: move },
    { k: 3, line: move },
    {
      k: 4,
      line: (p: { cpu: string; ts: string }) =>
        `${head(p)} sched:sched_swap_numa: src_pid=${tid} src_tgid=${pid} src_ngid=${pid} src_cpu=${Number(p.cpu)} src_nid=0 dst_pid=46 dst_tgid=46 dst_ngid=46 dst_cpu=4 dst_nid=1`,
    },
    {
      k: 5,
      line: (p: { cpu: string; ts: string }) =>
        `${head(p)} sched:sched_stick_numa: src_pid=${tid} src_tgid=${pid} src_ngid=${pid} src_cpu=${Number(p.cpu)} src_nid=0 dst_pid=-1 dst_tgid=-1 dst_ngid=-1 dst_cpu=4 dst_nid=1`,
    },
    {
      k: 6,
      line: (p: { cpu: string; ts: string }) =>
        `${head(p)} migrate:mm_migrate_pages: nr_succeeded=512 nr_failed=0 nr_thp_succeeded=1 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_ASYNC reason=numa_misplaced`,
    },
  ].map((e) => ({ ...at(e.k), make: e.line }));
  // Insert from the last so earlier indices stay valid.
  for (const e of [...extra].sort((a, b) => b.i - a.i)) lines.splice(e.i + 1, 0, e.make(e));
  writeFileSync(file, lines.join('\n'));
  return { kinds: { sched_move_numa: 3, sched_stick_numa: 1, sched_swap_numa: 1, mm_migrate_pages: 1 } };
}

// AutoNUMA "on": the numa policy keeps each VM's vCPUs on its home node, where its memory is; "off": memory
// all on node 0, vCPUs anywhere (the talk's SchedNUMA picture).
let ON = '';
let OFF = '';
let NOPID = '';
let marks: { kinds: Record<string, number> } = { kinds: {} };
test.beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  ON = synth('on.txt', 'script-pidtid', '--policy', 'numa');
  marks = withBalancing(ON, 4013, 4016);
  OFF = synth('off.txt', 'script-pidtid');
  // The off run printed without process ids (perf script without -F pid).
  NOPID = synth('nopid.txt', 'script');
});

const onFiles = () => [ON, `${ON}.lscpu`, `${ON}.numastat`, HOST_M];
const offFiles = () => [OFF, `${OFF}.lscpu`, `${OFF}.numastat`];

async function ready(page: Page, n = 1): Promise<void> {
  const panes = page.getByTestId('run-pane');
  await expect(panes).toHaveCount(n, { timeout: 30_000 });
  for (let i = 0; i < n; i++)
    await expect(panes.nth(i).getByTestId('analysis-panel')).toHaveAttribute('data-state', 'ready', {
      timeout: 30_000,
    });
}

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));

test('memory per node beside vCPU run per node, the host node table, balancing marks: as the CLI', async ({ page }) => {
  const cli: Json = analyze(onFiles());
  expect(cli.memory.notes).toEqual([]);
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(onFiles());
  await ready(page);

  // Per VM: memory MB and vCPU run share per node, as analyze --json's memoryByNode and cpuTimeByNode.
  const rows = page.getByTestId('vm-row');
  await expect(rows).toHaveCount(cli.vms.length);
  for (const v of cli.vms) {
    const row = page.locator(`[data-testid="vm-row"][data-vm-name="${v.name}"]`);
    await expect(row).toHaveAttribute('data-memory-mb', String(v.memoryMb));
    const bars = row.getByTestId('node-bar');
    await expect(bars).toHaveCount(2);
    const runTotal = v.cpuTimeByNode.reduce((s: number, n: Json) => s + n.runUs, 0);
    for (const n of v.cpuTimeByNode) {
      const bar = row.locator(`[data-testid="node-bar"][data-node="${n.node}"]`);
      const mem = v.memoryByNode.find((m: Json) => m.node === n.node)?.mb ?? 0;
      expect(Number(await bar.getAttribute('data-memory-mb'))).toBe(mem);
      close(Number(await bar.getAttribute('data-run-share')), n.runUs / runTotal);
    }
    close(Number(await row.getByTestId('node-bars').getAttribute('data-local-run-fraction')), v.localRunFraction);
    await expect(row.getByTestId('node-bars-local')).toHaveText(pct(v.localRunFraction));
    // The numa policy keeps vCPUs by their memory: run next to memory 100 %.
    close(v.localRunFraction, 1);
  }
  // VM 4000's memory is on node 0, 4013's on node 1 (synth --memory home: VM v on node v mod 2).
  const mb = (vm: string, node: number) =>
    page.locator(`[data-testid="vm-row"][data-vm-name="${vm}"] [data-testid="node-bar"][data-node="${node}"]`);
  await expect(mb('vm4000', 0)).toHaveAttribute('data-memory-mb', '2048');
  await expect(mb('vm4013', 1)).toHaveAttribute('data-memory-mb', '2048');
  await expect(mb('vm4013', 0)).toHaveAttribute('data-memory-mb', '0');

  // The host's nodes from numastat -m (MB as the file prints them).
  const nodes = page.getByTestId('node-memory-row');
  await expect(nodes).toHaveCount(2);
  expect(cli.memory.nodes.map((n: Json) => n.totalMb)).toEqual([95257.24, 96732.4]);
  for (const n of cli.memory.nodes) {
    const r = page.locator(`[data-testid="node-memory-row"][data-node="${n.node}"]`);
    await expect(r).toHaveAttribute('data-total-mb', String(n.totalMb));
    await expect(r).toHaveAttribute('data-free-mb', String(n.freeMb));
    await expect(r).toHaveAttribute('data-used-mb', String(n.usedMb));
    await expect(r).toHaveAttribute('data-huge-total', String(n.hugeTotal));
  }
  await expect(page.getByTestId('node-memory-table')).toContainText('95,257');
  await expect(page.getByTestId('memory-notes')).toHaveCount(0);

  // Balancing events: marks on the map, counted per kind under it, as the CLI counts them for vm4013.
  const map = page.getByTestId('map-view');
  await expect(map).toHaveAttribute('data-numa-marks', '6');
  const legend = page.getByTestId('numa-legend');
  for (const [kind, n] of Object.entries(marks.kinds))
    await expect(legend.locator(`[data-kind="${kind}"]`)).toHaveAttribute('data-count', String(n));
  const vm4013 = cli.vms.find((v: Json) => v.name === 'vm4013');
  const D = cli.window.durationUs / 1e6;
  close(vm4013.numaBalancingEventsPerSec.move * D, 3);
  close(vm4013.numaBalancingPerSec * D, 6);
  const row4013 = page.locator('[data-testid="vm-row"][data-vm-name="vm4013"]');
  await expect(row4013).toHaveAttribute('data-numa-balancing-per-sec', String(vm4013.numaBalancingPerSec));
  // The rate's tooltip has its kinds; the memory home column says the node, as analyze --json.
  const sortKeys = await page
    .locator('[data-testid="vm-table"] thead [data-sort-key]')
    .evaluateAll((b) => b.map((x) => x.getAttribute('data-sort-key')));
  const cell = (key: string) => row4013.locator('td').nth(2 + 1 + sortKeys.indexOf(key));
  await expect(cell('numaBalancingPerSec')).toHaveAttribute(
    'title',
    `${vm4013.numaBalancingPerSec} (sched_move_numa ${num(3 / D)}/s, sched_swap_numa ${num(1 / D)}/s, ` +
      `sched_stick_numa ${num(1 / D)}/s, mm_migrate_pages ${num(1 / D)}/s)`,
  );
  expect(vm4013.memoryHomeNode).toBe(1);
  await expect(row4013).toHaveAttribute('data-memory-home-node', '1');
  await expect(cell('memoryHomeNode')).toHaveText('node 1');

  // The CSV carries the memory in MB per node (the catalogue's keys).
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csv = readFileSync(await (await download).path(), 'utf8').split('\n');
  const head = csv[0].split(',');
  for (const k of ['memoryMb', 'memoryHomeNode', 'memoryMb:0', 'memoryMb:1', 'runShare:0', 'runShare:1'])
    expect(head).toContain(k);
  const vmLine = csv
    .map((l) => l.split(','))
    .find((c) => c[head.indexOf('level')] === 'vm' && c[head.indexOf('vm')] === 'vm4013')!;
  expect(vmLine[head.indexOf('memoryMb:1')]).toBe('2048');
  expect(vmLine[head.indexOf('memoryMb:0')]).toBe('0');
  for (const k of ['move', 'swap', 'stick', 'migratePages'])
    expect(Number(vmLine[head.indexOf(`numaBalancingEventsPerSec:${k}`)])).toBe(vm4013.numaBalancingEventsPerSec[k]);

  for (const [w, h] of [
    [1600, 900],
    [1280, 720],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await expect(map).toHaveAttribute('data-numa-marks', '6');
    await page.screenshot({ path: `${SHOTS}/numa-memory-${w}x${h}.png` });
    await page.getByTestId('memory-section').scrollIntoViewIfNeeded();
    await page.getByTestId('vm-table').screenshot({ path: `${SHOTS}/numa-memory-vm-table-${w}x${h}.png` });
    await page.getByTestId('memory-section').screenshot({ path: `${SHOTS}/numa-memory-nodes-${w}x${h}.png` });
  }
});

test('AutoNUMA on vs off: the comparison has the memory rows, as the CLI for each run', async ({ page }) => {
  const on: Json = analyze(onFiles());
  const off: Json = analyze(offFiles());
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(onFiles());
  await ready(page);
  await page.getByTestId('add-trace-input').setInputFiles(offFiles());
  await ready(page, 2);
  const row = (vm: string, key: string) =>
    page.locator(`[data-testid="compare-row"][data-vm-name="${vm}"][data-metric="${key}"]`);
  for (const vm of ['vm4000', 'vm4013']) {
    const a = on.vms.find((v: Json) => v.name === vm);
    const b = off.vms.find((v: Json) => v.name === vm);
    const values = async (key: string) => JSON.parse((await row(vm, key).getAttribute('data-values'))!) as number[];
    const lrf = await values('localRunFraction');
    close(lrf[0], a.localRunFraction);
    close(lrf[1], b.localRunFraction);
    for (const node of [0, 1]) {
      const m = await values(`memoryMb:${node}`);
      expect(m).toEqual([a, b].map((v) => v.memoryByNode.find((x: Json) => x.node === node)?.mb ?? 0));
      const share = await values(`runShare:${node}`);
      [a, b].forEach((v, i) => {
        const total = v.cpuTimeByNode.reduce((s: number, n: Json) => s + n.runUs, 0);
        close(share[i], v.cpuTimeByNode.find((n: Json) => n.node === node).runUs / total);
      });
    }
  }
  // The memory home moved (a node number: no relative change); balancing by kind, as each run's CLI.
  await expect(row('vm4013', 'memoryHomeNode')).toHaveAttribute('data-values', '[1,0]');
  await expect(row('vm4013', 'memoryHomeNode')).toContainText('moved');
  const b = off.vms.find((v: Json) => v.name === 'vm4013');
  const a = on.vms.find((v: Json) => v.name === 'vm4013');
  for (const k of ['move', 'swap', 'stick', 'migratePages'])
    await expect(row('vm4013', `numaBalancingEventsPerSec:${k}`)).toHaveAttribute(
      'data-values',
      JSON.stringify([a.numaBalancingEventsPerSec[k], b.numaBalancingEventsPerSec[k]]),
    );
  expect(a.numaBalancingEventsPerSec.move).toBeGreaterThan(0);
  // Off: all memory on node 0.
  await expect(row('vm4013', 'memoryMb:0')).toHaveAttribute('data-values', '[0,2048]');
  await expect(row('vm4013', 'memoryMb')).toContainText('2,048');
  await page.getByTestId('compare-section').scrollIntoViewIfNeeded();
  await page.getByTestId('compare-section').screenshot({ path: `${SHOTS}/numa-memory-compare.png` });
});

test('a trace without tgids: the memory notes say what to drop; VMs without data are named', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles([NOPID, `${NOPID}.lscpu`, `${NOPID}.numastat`]);
  await ready(page);
  const notes = page.getByTestId('memory-notes');
  await expect(notes).toContainText('the trace gives no process ids (tgids)');
  await expect(notes).toContainText('ps -eLo pid,tid,comm');
  await expect(page.getByTestId('node-bars').first()).toHaveAttribute('data-memory', 'none');
  await expect(page.getByTestId('node-bars').first()).toContainText('no memory data');
  await expect(page.getByTestId('node-memory-none')).toBeVisible();

  // With tgids but a numastat of other processes: the VMs without memory data are named.
  const other = join(TMP, 'other.numastat');
  writeFileSync(other, readFileSync(`${OFF}.numastat`, 'utf8').replace(/^4013 /m, '9999 '));
  await page.getByTestId('trace-input').setInputFiles([OFF, `${OFF}.lscpu`, other]);
  await ready(page);
  await expect(page.getByTestId('memory-notes')).toContainText('no memory data for vm4013 (pid 4013)');
  await expect(page.getByTestId('memory-notes')).toContainText('pid 9999');
  await page.getByTestId('memory-section').screenshot({ path: `${SHOTS}/numa-memory-notes.png` });
});

// The talk's host: 8 VMs x 20 vCPUs on 80 CPUs, 2 nodes, SchedNUMA's picture (memory on node 0, vCPUs anywhere)
// and 4 nodes: the bars and their number fit their cell, at both sizes, as the CLI computes them.
test('at scale: 8 VMs x 20 vCPUs on 80 CPUs, 2 and 4 nodes', async ({ page }) => {
  test.setTimeout(240_000);
  for (const nodes of [2, 4]) {
    const out = join(TMP, `talk-${nodes}.txt`);
    execFileSync(process.execPath, [
      'bin/schedmap.mjs',
      'synth',
      ...['--cpus', '80', '--vms', '8', '--vcpus', '20', '--nodes', String(nodes), '--seconds', '0.02'],
      ...['--format', 'script-pidtid', '-o', out],
    ]);
    const files = [out, `${out}.lscpu`, `${out}.numastat`];
    const cli: Json = analyze(files);
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.goto('./#nosample');
    await page.getByTestId('trace-input').setInputFiles(files);
    await ready(page);
    for (const v of cli.vms) {
      const row = page.locator(`[data-testid="vm-row"][data-vm-name="${v.name}"]`);
      await expect(row.getByTestId('node-bar')).toHaveCount(nodes);
      await expect(row.getByTestId('node-bars-local')).toHaveText(pct(v.localRunFraction));
      // Memory all on node 0, vCPUs on every node: well below all-local.
      expect(v.localRunFraction).toBeLessThan(0.75);
    }
    for (const [w, h] of [
      [1600, 900],
      [1280, 720],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      const cells = page.getByTestId('node-bars');
      await expect(cells).toHaveCount(8);
      // Nothing of a bars cell overflows it or its table cell.
      const over = await cells.evaluateAll(
        (els) =>
          els.filter((e) => {
            const td = e.closest('td')!.getBoundingClientRect();
            const r = e.getBoundingClientRect();
            return e.scrollWidth > e.clientWidth + 1 || r.right > td.right + 1 || r.left < td.left - 1;
          }).length,
      );
      expect(over).toBe(0);
      // Each VM's run-slice histogram counts its ~20 thousand slices with a thousands separator.
      const captions = await page.getByTestId('slice-histograms').locator('figure').allInnerTexts();
      expect(captions).toHaveLength(8);
      for (const c of captions) expect(c).toMatch(/\b\d{1,3}(,\d{3})+ slices\b/);
      await page.getByTestId('vm-table').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/numa-memory-talk-${nodes}node-${w}x${h}.png` });
    }
  }
});
