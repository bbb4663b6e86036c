// Time series for charts: per VM and per bin, the mean of r(t) (time integral
// of r over the bin / the bin's width) and the switch-ins of its vCPUs. Bins
// start at the window's start (T0, or a) and are binNs wide; the last bin ends
// at the window's end and may be shorter: it is normalised by its real width.
// Switch-ins at exactly the window's end (T1 without a range) fall in the last bin.

import type { Run } from '../model/runs';
import { gapCoverPerBin } from './gapCover';
import { sweepRunning } from './runningCount';
import { indexVms } from './vmIndex';
import { inWindow, lowerBound, resolveWindow, type AnalysisOptions } from './window';

export const MAX_SERIES_BINS = 10_000_000;

export interface VmSeries {
  name: string;
  /** Mean number of its vCPU threads running, per bin (over its known time; null where a gap covers it all). */
  meanRunning: (number | null)[];
  /** Switches whose next task is one of its vCPUs, per bin. */
  switchIns: number[];
  /** switchIns / the bin's known time in seconds (null where a gap covers it all). */
  switchInsPerSec: (number | null)[];
}

export interface RunSeries {
  /** Window start and end (relative to the trace's first event), µs. */
  startUs: number;
  endUs: number;
  binUs: number;
  binStartsUs: number[];
  /** binUs, except for a shorter last bin. */
  binWidthsUs: number[];
  /** The part of each bin not inside a paste's gap (TraceModel.gaps): its width when the text was not cut there. */
  binKnownUs: number[];
  vms: VmSeries[];
}

export function seriesForRun(run: Run, binNs: number, options: AnalysisOptions = {}): RunSeries {
  if (!(binNs > 0) || !Number.isFinite(binNs))
    throw new RangeError(`bin width must be a positive number of ns, not ${binNs}`);
  const m = run.model;
  const w = resolveWindow(m, options);
  const idx = indexVms(run);
  const D = w.duration;
  const bins = D > 0 ? Math.ceil(D / binNs) : 0;
  if (bins > MAX_SERIES_BINS)
    throw new RangeError(`${bins} bins of ${binNs} ns: more than ${MAX_SERIES_BINS}; choose wider bins`);
  const binStart = (k: number): number => w.start + k * binNs;
  const binEnd = (k: number): number => (k + 1 === bins ? w.end : w.start + (k + 1) * binNs);
  const width = new Float64Array(bins);
  for (let k = 0; k < bins; k++) width[k] = binEnd(k) - binStart(k);

  const integral = Array.from({ length: idx.vmCount }, () => new Float64Array(bins));
  if (bins > 0) {
    sweepRunning(m, idx, w, {
      segment(vm, from, to, level) {
        if (level === 0) return;
        const acc = integral[vm];
        // One bin early, in case rounding put `from` past its bin's start.
        let k = Math.max(0, Math.min(bins - 1, Math.floor((from - w.start) / binNs) - 1));
        for (; k < bins; k++) {
          const s = binStart(k);
          if (s >= to) break;
          const e = binEnd(k);
          const a = from > s ? from : s;
          const b = to < e ? to : e;
          if (b > a) acc[k] += level * (b - a);
        }
      },
    });
  }

  const counts = Array.from({ length: idx.vmCount }, () => new Float64Array(bins));
  if (bins > 0) {
    const sw = m.switches;
    for (let i = lowerBound(sw.time, w.start); i < sw.length; i++) {
      const t = sw.time[i];
      if (t > w.end) break;
      const vm = idx.vmOfTask[sw.next[i]];
      if (vm < 0 || w.cpuMask[sw.cpu[i]] !== 1 || !inWindow(w, t)) continue;
      counts[vm][Math.min(bins - 1, Math.floor((t - w.start) / binNs))]++;
    }
  }

  // A bin partly in a paste's gap (TraceModel.gaps) is normalised by its known time; one wholly in a gap has no value.
  const cover = bins > 0 ? gapCoverPerBin(m.gaps, w.start, binNs, bins, w.end) : null;
  const known = cover ? Float64Array.from(width, (x, k) => Math.max(0, x - cover[k])) : width;
  const per = (x: number, k: number): number | null => (known[k] > 0 ? x / known[k] : null);

  return {
    startUs: w.start / 1000,
    endUs: w.end / 1000,
    binUs: binNs / 1000,
    binStartsUs: Array.from({ length: bins }, (_, k) => binStart(k) / 1000),
    binWidthsUs: Array.from(width, (x) => x / 1000),
    binKnownUs: Array.from(known, (x) => x / 1000),
    vms: run.vms.map((vm, v) => ({
      name: vm.name,
      meanRunning: Array.from(integral[v], per),
      switchIns: Array.from(counts[v]),
      switchInsPerSec: Array.from(counts[v], (c, k) => per(c * 1e9, k)),
    })),
  };
}
