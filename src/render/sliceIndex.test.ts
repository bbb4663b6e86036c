import { describe, expect, it } from 'vitest';
import { endOf, firstEndAfter, firstStartAfter, firstStartAtOrAfter, startOf, type Track } from './sliceIndex';
import { randomModel } from '../testing/models';
import { indexOfModel } from '../testing/scenes';

/** The first k with pred(k), by a scan (n if none). */
function scan(t: Track, pred: (k: number) => boolean): number {
  for (let k = 0; k < t.n; k++) if (pred(k)) return k;
  return t.n;
}

/** Every time a search can land on: each start and end, a step either side, and beyond both ends. */
function probes(t: Track): number[] {
  const times = new Set<number>([-1e9, 1e18]);
  for (let k = 0; k < t.n; k++)
    for (const x of [startOf(t, k), endOf(t, k)]) for (const d of [-0.5, 0, 0.5]) times.add(x + d);
  return [...times];
}

describe('the track searches', () => {
  // Integer times with ties and zero-length slices (randomModel), so equal keys are searched.
  const idx = indexOfModel(randomModel(7, 3000, 4, 9, 6));
  const tracks: [string, Track][] = [
    ...idx.model.cpus.map((c): [string, Track] => [`CPU ${c} (contiguous rows)`, idx.cpuTrack(c)]),
    ...[1, 2, 5, 9].map((task): [string, Track] => [`task ${task} (through its rows)`, idx.taskTrack(task)]),
    ['an empty task track', idx.taskTrack(-1)],
  ];

  it.each(tracks)('find the first end after, start at or after, start after any time: %s', (_, t) => {
    for (const time of probes(t)) {
      expect(firstEndAfter(t, time)).toBe(scan(t, (k) => endOf(t, k) > time));
      expect(firstStartAtOrAfter(t, time)).toBe(scan(t, (k) => startOf(t, k) >= time));
      expect(firstStartAfter(t, time)).toBe(scan(t, (k) => startOf(t, k) > time));
    }
  });

  it('tracks have ties to search: equal starts and zero-length slices', () => {
    const t = idx.cpuTrack(idx.model.cpus[0]);
    let zero = 0;
    for (let k = 0; k < t.n; k++) if (startOf(t, k) === endOf(t, k)) zero++;
    expect(zero).toBeGreaterThan(0);
    expect(t.n).toBeGreaterThan(100);
    expect(idx.taskTrack(1).rows).not.toBeNull();
  });
});
