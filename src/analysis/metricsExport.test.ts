// The CSV and JSON exports on the hand-made trace (testing/panelTrace) and on recordings: formula
// escaping, the columns and their values (the JSON field names), topology columns, a range's rows.

import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures';
import { loadInputs } from '../cli/loadFiles';
import { cpuListText } from '../model/cpuList';
import { assembleRuns } from '../model/runs';
import { panelTrace } from '../testing/panelTrace';
import { analyzeRun } from './analyze';
import { escapeFormula, metricsJson, vmTableCsv } from './metricsExport';
import { computePanel } from './panel';
import { analyzeTopology } from './topology';

describe('exports', () => {
  it('escapes cells a spreadsheet would run as formulas', () => {
    for (const s of ['=1+2', '+1', '-1', '@x', '\tx', '\rx']) expect(escapeFormula(s)).toBe(`'${s}`);
    for (const s of ['vm1', 'CPU 0/KVM', '', "'=already"]) expect(escapeFormula(s)).toBe(s);
  });

  it('the VM table as CSV: JSON field names, full precision, escaped names, vCPU rows', () => {
    const { run } = panelTrace();
    const m = analyzeRun(run);
    const csv = vmTableCsv(m, ['=HYPERLINK("http://x")', '-B\n=2'], null, '=PLE on');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true }).data;
    expect(rows.map((r) => [r.level, r.vm])).toEqual([
      ['vm', `'=HYPERLINK("http://x")`],
      ['vcpu', `'=HYPERLINK("http://x")`],
      ['vcpu', `'=HYPERLINK("http://x")`],
      ['vm', "'-B\n=2"],
      ['vcpu', "'-B\n=2"],
    ]);
    expect(Number(rows[0].gangScore)).toBe(m.vms[0].gangScore);
    expect(Number(rows[0].cpuShare)).toBe(m.vms[0].cpuShare);
    expect(rows[0].runDelayP50Us).toBe('');
    expect(rows[1].comm).toBe('CPU 0/KVM');
    expect(Number(rows[1].runFraction)).toBe(m.vms[0].vcpus[0].runFraction);
    // Every row names its run (escaped: a label is the user's text) and the window it was measured in.
    for (const r of rows) {
      expect(r.run).toBe("'=PLE on");
      expect(Number(r.windowStartUs)).toBe(m.window.startUs);
      expect(Number(r.windowEndUs)).toBe(m.window.endUs);
      expect(r.windowCpus).toBe(cpuListText(m.window.cpus));
    }
  });

  it('with a host topology, CSV and JSON carry the node and SMT numbers (the CLI JSON fields)', async () => {
    const [run] = assembleRuns(
      await loadInputs([
        fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt'),
        fixturePath('host-2cpu-2node.lscpu'),
      ]),
    );
    expect(run.topology).toBeTruthy();
    const p = computePanel(run, { range: null, cpus: null });
    const topo = analyzeTopology(run, run.topology!);
    expect(p.topology).toEqual(topo);
    const names = run.vms.map((vm) => vm.name);
    const rows = Papa.parse<Record<string, string>>(vmTableCsv(p.metrics, names, p.topology, 'spread'), {
      header: true,
    }).data;
    const vmRows = rows.filter((r) => r.level === 'vm');
    const vcpuRows = rows.filter((r) => r.level === 'vcpu');
    expect(vmRows).toHaveLength(topo.vms.length);
    topo.vms.forEach((vm, i) => {
      expect(vmRows[i].vm).toBe(vm.name);
      const cell = (x: number | null) => (x === null ? '' : String(x));
      expect(vmRows[i].homeNode).toBe(cell(vm.homeNode));
      expect(vmRows[i].nodeSpread).toBe(cell(vm.nodeSpread));
      expect(vmRows[i].homeNodeFraction).toBe(cell(vm.homeNodeFraction));
      expect(vmRows[i].crossNodeMigrationsPerSec).toBe(cell(vm.crossNodeMigrationsPerSec));
      expect(vmRows[i].smtSiblingCoRunFraction).toBe(cell(vm.smtSiblingCoRunFraction));
      for (const v of vm.vcpus) {
        const row = vcpuRows.find((r) => r.vm === vm.name && Number(r.tid) === v.tid)!;
        expect(row.homeNode).toBe(cell(v.homeNode));
        expect(row.homeNodeFraction).toBe(cell(v.homeNodeFraction));
      }
    });
    // Two nodes, every VM ran somewhere: real values, not empty cells.
    expect(vmRows.every((r) => r.homeNode !== '' && r.homeNodeFraction !== '')).toBe(true);
    const json = JSON.parse(
      metricsJson(p, { file: run.name, label: 'a', vmNames: names, recordedOn: run.model.recordedOn }),
    );
    expect(json.topology).toEqual(JSON.parse(JSON.stringify(topo)));
    expect(json.recordedOn).toBeNull(); // perf script text carries no host facts
    // Without a topology: the columns are there, empty.
    const bare = vmTableCsv(p.metrics, names, null, 'spread');
    const bareRows = Papa.parse<Record<string, string>>(bare, { header: true }).data;
    expect(bareRows.every((r) => r.homeNode === '' && r.nodeSpread === '')).toBe(true);
  });

  it('a CSV of a range and a CPU subset says so on every row', async () => {
    const [run] = assembleRuns(await loadInputs([fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt')]));
    const p = computePanel(run, { range: [250e6, 750e6], cpus: [1] });
    const rows = Papa.parse<Record<string, string>>(
      vmTableCsv(
        p.metrics,
        run.vms.map((vm) => vm.name),
        null,
        'spread',
      ),
      { header: true },
    ).data;
    expect(rows.length).toBeGreaterThan(4);
    for (const r of rows)
      expect([r.run, r.windowStartUs, r.windowEndUs, r.windowCpus]).toEqual(['spread', '250000', '750000', '1']);
  });
});
