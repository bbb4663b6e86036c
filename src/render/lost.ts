// Where the trace lost events. A LOST record (or `INFO: n lost events`) with a
// time says events went missing before that point on its CPU (or on any CPU):
// the slice the CPU was in at that time may be wrong, so that slice's span is
// the uncertain region. Records without a time (map trailers) have no region.

import type { TraceModel } from '../model/types';
import { endOf, firstStartAfter, startOf, type SliceIndex } from './sliceIndex';

export interface LostRegion {
  /** Relative ns; start === end for a point (drawn at least a couple of pixels wide). */
  start: number;
  end: number;
  /** The CPU that lost events, or null: every lane. */
  cpu: number | null;
  count: number | null;
  /** Plain text from the parser. */
  message: string;
  line: number;
}

export function lostRegions(model: Pick<TraceModel, 'lost'>, index: SliceIndex): LostRegion[] {
  const out: LostRegion[] = [];
  for (const l of model.lost) {
    if (l.time === null) continue;
    let start = l.time;
    let end = l.time;
    if (l.cpu !== null) {
      const track = index.cpuTrack(l.cpu);
      // The slice open at that time: the last one starting at or before it.
      const k = firstStartAfter(track, l.time) - 1;
      if (k >= 0 && endOf(track, k) >= l.time) {
        start = startOf(track, k);
        end = endOf(track, k);
      }
    }
    out.push({ start, end, cpu: l.cpu, count: l.count, message: l.message, line: l.line });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Lost regions overlapping [t0, t1) (points included when inside), for a CPU lane or any lane (cpu null). */
export function lostIn(regions: readonly LostRegion[], t0: number, t1: number, cpu: number | null): LostRegion[] {
  return regions.filter(
    (r) =>
      (r.cpu === null || cpu === null || r.cpu === cpu) &&
      (r.start === r.end ? r.start >= t0 && r.start < t1 : r.start < t1 && r.end > t0),
  );
}
