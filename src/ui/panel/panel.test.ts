// The panel's pure parts on hand-made traces and on a recording: slice
// histograms (same slices as the metrics), selection time shares, switch-rate
// bins, the histogram-hover pixel runs, CSV escaping, parsing of typed input.

import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { analyzeRun } from '../../analysis/analyze';
import { US } from '../../testing/runs';
import { runFromTimeline } from '../../testing/timeline';
import { resolveWindow } from '../../analysis/window';
import { loadInputs } from '../../cli/loadFiles';
import { assembleRuns } from '../../model/runs';
import { cpuLanes, vcpuLanes } from '../../render/lanes';
import { fixturePath } from '../../../test/fixtures';
import { lockExtent } from '../compare/viewLock';
import { createPaneStore } from '../pane/paneStore';
import { analyzeTopology } from '../../analysis/topology';
import { escapeFormula, metricsJson, safeFileName, vmTableCsv } from './exportData';
import { cpuListText, parseCpuList } from '../../model/cpuList';
import { attr, parseSeconds } from '../../analysis/format';
import { highlightRuns } from '../../render/highlight';
import { drawnRunOf } from '../../model/drawnRun';
import {
  binEdgeNs,
  computePanel,
  computeTimeline,
  logBin,
  selectionBreakdown,
  sliceHistogram,
} from '../../analysis/panel';

/**
 * One column per 5 µs: a0 [0, 100) and [300, 400) 100 µs each; a1 [110, 300) 190 µs; b0 [0, 400) 400 µs
 * (all ended by a switch; the idle slices from 400 end at T1 and are left out). h [100, 110) 10 µs.
 */
const TRACE = `
  cpu0 |a0-----------------|h|S:a1---------------------------------|S:a0---------------|S:
  cpu1 |b0-----------------------------------------------------------------------------|S:
`;

function trace() {
  const { run, task } = runFromTimeline(TRACE, { unit: 5 * US, comms: { h: '=cmd' } });
  return { run, a0: task.a0, a1: task.a1, b0: task.b0, h: task.h };
}

describe('slice histograms', () => {
  it('bins the slices the slice statistics count, on shared log bins', () => {
    const { run } = trace();
    const w = resolveWindow(run.model);
    const hist = sliceHistogram(run, w);
    // A: 100, 190, 100 µs; B: 400 µs.
    expect(hist.vms.map((v) => v.total)).toEqual([3, 1]);
    const k100 = logBin(100 * US);
    const k190 = logBin(190 * US);
    const k400 = logBin(400 * US);
    expect(hist.firstBin).toBe(k100);
    expect(hist.bins).toBe(k400 - k100 + 1);
    expect(hist.vms[0].counts[0]).toBe(2);
    expect(hist.vms[0].counts[k190 - k100]).toBe(1);
    expect(hist.vms[1].counts[k400 - k100]).toBe(1);
    expect(analyzeRun(run).vms[0].runSliceMedianUs).toBe(100);
    expect(binEdgeNs(k100)).toBeLessThanOrEqual(100 * US);
    expect(binEdgeNs(k100 + 1)).toBeGreaterThan(100 * US);
  });

  it('counts as many slices as the metrics take the median of, on a recording', async () => {
    const run = assembleRuns(await loadInputs([fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script-pidtid.txt')]))[0];
    const p = computePanel(run, { range: [300e6, 1.2e9], cpus: null });
    const m = analyzeRun(run, { range: [300e6, 1.2e9] });
    expect(p.metrics).toEqual(m);
    for (const [v, vm] of p.sliceHist.vms.entries()) {
      // The median's bin holds the middle slice.
      const med = m.vms[v].runSliceMedianUs! * 1000;
      let below = vm.zero;
      const k = logBin(med) - p.sliceHist.firstBin;
      for (let i = 0; i < k; i++) below += vm.counts[i];
      expect(below).toBeLessThanOrEqual(vm.total / 2);
      expect(below + vm.counts[k]).toBeGreaterThanOrEqual(vm.total / 2);
    }
    expect(p.selection).not.toBeNull();
  });
});

describe('selection breakdown', () => {
  it('time per VM and per task, shares of D × P that add up to 1', () => {
    const { run, a0, a1, b0, h } = trace();
    // [50, 350): D = 300 µs, P = 2, 600 µs of CPU time.
    const w = resolveWindow(run.model, { range: [50 * US, 350 * US] });
    const s = selectionBreakdown(run, w);
    expect(s.cpuTimeNs).toBe(600 * US);
    // A: a0 [50,100) + [300,350) = 100, a1 190 → 290; B: 300; host h 10.
    expect(s.vms.map((v) => [v.name, v.vcpuNs / US, v.otherNs])).toEqual([
      ['A', 290, 0],
      ['B', 300, 0],
    ]);
    expect(s.hostNs).toBe(10 * US);
    expect(s.idleNs).toBe(0);
    expect(s.unknownNs).toBe(0);
    expect(s.tasks.map((t) => [t.task, t.timeNs / US, t.cls])).toEqual([
      [b0, 300, 'vcpu'],
      [a1, 190, 'vcpu'],
      [a0, 100, 'vcpu'],
      [h, 10, 'host'],
    ]);
    expect(s.tasks[0].share).toBe(0.5);
    const total = s.vms.reduce((x, v) => x + v.timeNs, 0) + s.hostNs + s.idleNs + s.unknownNs;
    expect(total).toBe(s.cpuTimeNs);
    // A CPU subset: only cpu0's slices.
    const c0 = selectionBreakdown(run, resolveWindow(run.model, { range: [50 * US, 350 * US], cpus: [0] }));
    expect(c0.cpuTimeNs).toBe(300 * US);
    expect(c0.vms[1].timeNs).toBe(0);
  });
});

describe('switch-rate timeline', () => {
  it('counts switches and vCPU switch-ins per bin, per second', () => {
    const { run } = trace();
    const t = computeTimeline(run, { start: 0, end: 400 * US, bins: 4, cpus: null });
    expect(t.binNs).toBe(100 * US);
    // Switches at 0 (×2), 100, 110, 300; the ones at 400 are at the window's end, outside [0, 400).
    expect(t.total.map((x) => (x * t.binNs) / 1e9)).toEqual([2, 2, 0, 1]);
    expect(t.vms[0].map((x) => (x * t.binNs) / 1e9)).toEqual([1, 1, 0, 1]);
    expect(t.vms[1].map((x) => (x * t.binNs) / 1e9)).toEqual([1, 0, 0, 0]);
    const c1 = computeTimeline(run, { start: 0, end: 400 * US, bins: 4, cpus: [1] });
    expect(c1.total.map((x) => (x * c1.binNs) / 1e9)).toEqual([1, 0, 0, 0]);
  });
});

describe('histogram hover marks', () => {
  it('pixel runs of the bar’s slices, per lane, in CPU and vCPU lanes', () => {
    const { run: full } = trace();
    // The page's view of the run: its drawn slices.
    const run = drawnRunOf(full);
    const k = logBin(190 * US);
    const h = { vm: 0, bin: k, perDecade: 4, query: { range: null, cpus: null } };
    // 400 px over [0, 400 µs): 1 px per µs. a1's slice [110, 300) on cpu0.
    expect(highlightRuns(run, cpuLanes(run.model), h, 0, 400 * US, 400)).toEqual([{ lane: 0, x0: 110, x1: 300 }]);
    const lanes = vcpuLanes(run);
    expect(highlightRuns(run, lanes, h, 0, 400 * US, 400)).toEqual([{ lane: 1, x0: 110, x1: 300 }]);
    // Zoomed into [200, 250): clipped to the frame.
    expect(highlightRuns(run, cpuLanes(run.model), h, 200 * US, 250 * US, 50)).toEqual([{ lane: 0, x0: 0, x1: 50 }]);
    // The 100 µs bin: a0's two slices.
    const h100 = { ...h, bin: logBin(100 * US) };
    expect(highlightRuns(run, cpuLanes(run.model), h100, 0, 400 * US, 400)).toEqual([
      { lane: 0, x0: 0, x1: 100 },
      { lane: 0, x0: 300, x1: 400 },
    ]);
    // A range that ends before a0's second slice does: only the first.
    expect(
      highlightRuns(
        run,
        cpuLanes(run.model),
        { ...h100, query: { range: [0, 350 * US], cpus: null } },
        0,
        400 * US,
        400,
      ),
    ).toEqual([{ lane: 0, x0: 0, x1: 100 }]);
    // Outside the panel's range: nothing.
    expect(
      highlightRuns(run, cpuLanes(run.model), { ...h, query: { range: [0, 100 * US], cpus: null } }, 0, 400 * US, 400),
    ).toEqual([]);
  });
});

describe('exports', () => {
  it('escapes cells a spreadsheet would run as formulas', () => {
    for (const s of ['=1+2', '+1', '-1', '@x', '\tx', '\rx']) expect(escapeFormula(s)).toBe(`'${s}`);
    for (const s of ['vm1', 'CPU 0/KVM', '', "'=already"]) expect(escapeFormula(s)).toBe(s);
  });

  it('the VM table as CSV: JSON field names, full precision, escaped names, vCPU rows', () => {
    const { run } = trace();
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
    const json = JSON.parse(metricsJson(p, { file: run.name, label: 'a', vmNames: names, recordedOn: run.model.recordedOn }));
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

  it('file names from untrusted labels', () => {
    expect(safeFileName('../../etc/passwd')).toBe('etc_passwd');
    expect(safeFileName('PLE on (patched)')).toBe('PLE_on_patched_');
    expect(safeFileName('')).toBe('schedmap');
  });
});

describe('typed input', () => {
  it('CPU lists', () => {
    expect(parseCpuList('0-3, 8')).toEqual([0, 1, 2, 3, 8]);
    expect(parseCpuList('5-3')).toEqual([3, 4, 5]);
    expect(parseCpuList('x')).toBeNull();
    expect(parseCpuList('')).toBeNull();
    expect(cpuListText([0, 1, 2, 3, 8, 10, 11])).toBe('0-3,8,10-11');
  });

  it('times in seconds (or with a unit) to whole ns', () => {
    expect(parseSeconds('0.5')).toBe(500_000_000);
    expect(parseSeconds('0.123456789')).toBe(123_456_789);
    expect(parseSeconds('250ms')).toBe(250_000_000);
    expect(parseSeconds('40 µs')).toBe(40_000);
    expect(parseSeconds('12ns')).toBe(12);
    expect(parseSeconds('-1')).toBeNull();
    expect(parseSeconds('abc')).toBeNull();
  });

  it('full precision in attributes', () => {
    expect(attr(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(attr(null)).toBe('null');
  });
});

describe('view lock', () => {
  it('bounds widen to the union of the locked traces, so a shorter trace can show past its end', () => {
    const short = runFromTimeline('cpu0 |a0----|b0----|', { unit: US }).run;
    const long = runFromTimeline('cpu0 |a0----|b0----|a0----|b0----|', { unit: US }).run;
    const [sa, sb] = [createPaneStore(drawnRunOf(short)), createPaneStore(drawnRunOf(long))];
    const ext = lockExtent([sa, sb])!;
    expect(ext).toEqual({ start: sb.getState().bounds.start, end: sb.getState().bounds.end });
    sa.getState().setExtent(ext);
    // The long trace's second half on the short trace's pane: kept, not pushed back inside the short trace.
    const half = { start: (ext.start + ext.end) / 2, end: ext.end };
    sa.getState().setView(half);
    expect(sa.getState().view).toEqual(half);
    // Unlocked: back inside its own trace.
    sa.getState().setExtent(null);
    expect(sa.getState().view.end).toBeLessThanOrEqual(ext.start + (ext.end - ext.start) / 2 + 1);
  });
});
