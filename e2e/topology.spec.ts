// Host topology in real Chromium: a trace dropped with an `lscpu -p` file gets
// its CPU lanes grouped by NUMA node (labels, separators), the panel's per-node
// and per-VM topology numbers match `schedmap analyze --json --topology` for
// the same files, a topology dropped after the trace joins it, and a topology
// that lacks CPUs of the trace is refused with a clear message.

import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { damagedLscpuText, fixturePath } from '../test/fixtures';
import { analyze, SHOTS, type Json } from './helpers';

const SPREAD = fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt');
const TWO_NODE = fixturePath('host-2cpu-2node.lscpu');
// Hand-made topology files (Playwright cannot mix file paths and buffers in one drop).
const TMP = mkdtempSync(join(tmpdir(), 'schedmap-topology-'));
const ONE_CPU = join(TMP, 'one-cpu.lscpu');
writeFileSync(ONE_CPU, '# CPU,Core,Socket,Node\n0,0,0,0\n');
const BAD = join(TMP, 'bad.lscpu');
writeFileSync(BAD, '# CPU,Core,Socket,Node\n0,0,0,0\n1,x,0,0\n');
// A damaged CPU field of a real lscpu -p, its preamble cut: not sniffed as topology, yet told what is wrong (issue 19).
const BAD_CPU = join(TMP, 'bad-cpu.lscpu');
writeFileSync(BAD_CPU, damagedLscpuText());

async function open(page: Page, files: string | string[]): Promise<void> {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles(files);
  await expect(page.getByTestId('analysis-panel').first()).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
}

const str = (x: unknown): string => (x === null || x === undefined ? 'null' : String(x));

test('a trace with an lscpu -p file: lanes grouped by node, node and VM numbers as the CLI', async ({ page }) => {
  const cli = analyze([SPREAD], '--topology', TWO_NODE);
  expect(cli.nodes.length).toBe(2);
  await open(page, [SPREAD, TWO_NODE]);

  // The map: CPU lanes ordered by topology, a "node N" label per node group, a separator between them.
  const map = page.getByTestId('map-view');
  await expect(map).toHaveAttribute('data-cpu-order', 'topology');
  await expect(page.getByTestId('topology-bar')).toHaveAttribute('data-state', 'known');
  await expect(page.getByTestId('topology-summary')).toContainText('2 nodes');
  const labels = page.getByTestId('lane-group-label');
  await expect(labels).toHaveCount(2);
  await expect(labels.nth(0)).toHaveText('node 0');
  await expect(labels.nth(0)).toHaveAttribute('data-cpus', '0');
  await expect(labels.nth(1)).toHaveText('node 1');
  await expect(labels.nth(1)).toHaveAttribute('data-cpus', '1');
  await expect(page.getByTestId('lane-sep-node')).toHaveCount(1);

  // The panel: one row per node, busy fraction at full precision.
  const nodes = page.getByTestId('node-row');
  await expect(nodes).toHaveCount(cli.nodes.length);
  const gotNodes = await nodes.evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
  cli.nodes.forEach((n: Json, i: number) => {
    expect(gotNodes[i].node).toBe(String(n.node));
    expect(gotNodes[i].busyFraction, `node ${n.node} busyFraction`).toBe(str(n.busyFraction));
    expect(gotNodes[i].vms).toBe(n.vms.map((v: Json) => v.name).join(','));
  });

  // Per-VM topology attributes on the VM rows.
  const rows = page.getByTestId('vm-row');
  await expect(rows).toHaveCount(cli.vms.length);
  const got = await rows.evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset })));
  cli.vms.forEach((vm: Json, i: number) => {
    expect(got[i].vmName).toBe(vm.name);
    expect(got[i].nodeSpread, `${vm.name} nodeSpread`).toBe(str(vm.nodeSpread));
    expect(got[i].homeNodeFraction, `${vm.name} homeNodeFraction`).toBe(str(vm.homeNodeFraction));
    expect(got[i].crossNodeMigrationsPerSec, `${vm.name} crossNodeMigrationsPerSec`).toBe(
      str(vm.crossNodeMigrationsPerSec),
    );
    expect(got[i].smtSiblingCoRunFraction, `${vm.name} smtSiblingCoRunFraction`).toBe(str(vm.smtSiblingCoRunFraction));
  });
  await page.screenshot({ path: `${SHOTS}/topology-cpu-lanes.png`, fullPage: false });

  // Numeric order: no group labels.
  await page.getByTestId('cpu-order-numeric').click();
  await expect(map).toHaveAttribute('data-cpu-order', 'numeric');
  await expect(labels).toHaveCount(0);
  // vCPU lanes shaded by node, the minimap too.
  await page.getByRole('button', { name: 'vCPU threads' }).click();
  await expect(page.getByTestId('vcpu-shading-node')).toHaveClass(/active/);
  await expect(page.getByTestId('minimap-node-note')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/topology-vcpu-by-node.png`, fullPage: false });
});

test('without a topology the UI says so; one dropped after the trace joins it', async ({ page }) => {
  await open(page, SPREAD);
  await expect(page.getByTestId('topology-unknown')).toContainText('topology unknown — drop an lscpu -p');
  await expect(page.getByTestId('node-row')).toHaveCount(0);
  await page.getByTestId('trace-input').setInputFiles(TWO_NODE);
  await expect(page.getByTestId('topology-bar')).toHaveAttribute('data-state', 'known', { timeout: 30_000 });
  await expect(page.getByTestId('run-pane')).toHaveCount(1);
  await expect(page.getByTestId('node-row')).toHaveCount(2, { timeout: 30_000 });
});

test('a topology that lacks CPUs of the trace is not applied, with a clear message', async ({ page }) => {
  await open(page, [SPREAD, ONE_CPU]);
  const err = page.getByTestId('topology-error');
  await expect(err).toBeVisible();
  await expect(err).toContainText('one-cpu.lscpu');
  await expect(err).toContainText('CPU 1');
  await expect(err).toContainText('not applied');
  await expect(page.getByTestId('node-row')).toHaveCount(0);
  await expect(page.getByTestId('lane-group-label')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/topology-mismatch.png`, fullPage: false });
});

test('an unreadable lscpu file is a file error naming the line', async ({ page }) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles([SPREAD, BAD]);
  await expect(page.getByText(/bad\.lscpu/).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/line 3/).first()).toBeVisible();
});

test('a damaged lscpu -p dropped with a trace says what is wrong with it, not to drop it with a trace', async ({
  page,
}) => {
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles([SPREAD, BAD_CPU]);
  await expect(page.getByText(/bad-cpu\.lscpu/).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/line 3: CPU "x" is not a number/).first()).toBeVisible();
  await expect(page.getByText(/together with a trace/)).toHaveCount(0);
});

test('SMT siblings: a core label on the lanes, and two runs compared with their topology rows as the CLI', async ({
  page,
}) => {
  const SMT = fixturePath('host-2cpu-smt.lscpu');
  const SHARED = fixturePath('synth-4vm-x2vcpu-spin-pin-shared.script-pidtid.txt');
  const cli = [analyze([SHARED], '--topology', SMT), analyze([SPREAD], '--topology', SMT)];
  await page.goto('./#nosample');
  await page.getByTestId('trace-input').setInputFiles([SHARED, SPREAD, SMT]);
  const panes = page.getByTestId('run-pane');
  await expect(panes).toHaveCount(2, { timeout: 30_000 });
  for (let i = 0; i < 2; i++) {
    const pane = panes.nth(i);
    await expect(pane.getByTestId('analysis-panel')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    // One node of one core with two SMT threads: one node label, one core label spanning both lanes.
    await expect(pane.getByTestId('lane-group-label')).toHaveCount(1);
    const core = pane.getByTestId('lane-core-label');
    await expect(core).toHaveCount(1);
    await expect(core).toHaveAttribute('title', 'core 0: SMT siblings');
    await expect(core).toHaveText('core 0');
  }

  // The comparison's topology rows carry each run's value for the VM, as the CLI gives it.
  const table = page.getByTestId('compare-table');
  for (const metric of ['nodeSpread', 'homeNodeFraction', 'crossNodeMigrationsPerSec', 'smtSiblingCoRunFraction']) {
    const rows = table.locator(`[data-testid="compare-row"][data-metric="${metric}"]`);
    await expect(rows).toHaveCount(cli[0].vms.length);
    for (const row of await rows.all()) {
      const names: (string | null)[] = JSON.parse((await row.getAttribute('data-vm-names'))!);
      const values: (number | null)[] = JSON.parse((await row.getAttribute('data-values'))!);
      names.forEach((name, r) => {
        const vm = cli[r].vms.find((v: Json) => v.name === name);
        expect(values[r], `${metric} of ${name} in run ${r}`).toBe(vm[metric]);
      });
    }
  }
  // SMT co-running differs between the runs (pin-shared stacks a VM's vCPUs on one CPU, pin-spread does not).
  const smt = cli.map((c) => c.vms.map((v: Json) => v.smtSiblingCoRunFraction));
  expect(smt[0]).not.toEqual(smt[1]);
  await expect(table.locator('[data-testid="compare-row"][data-metric="nodeBusy:0"]')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/topology-smt-compare.png`, fullPage: false });
});
