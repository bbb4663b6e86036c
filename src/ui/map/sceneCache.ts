// One MapScene per pane (PaneScene, in the pane's store), shared by its map and minimap (the drawn slices
// of a 10M-switch trace are ~300 MB: never hold them twice; the model worker
// builds them, so creating the scene costs no pass over the trace).
//
// Nothing here runs long on the main thread: a frame over a big trace reads each
// lane's pyramid level for its zoom, and building a level is a pass over the
// lane's slices, so a new zoom's levels are built first, lane by lane in slices
// of a few ms (prepareFrame), and only then drawn (the old frame stays up
// meanwhile); vCPU lanes' tracks, a pass over the whole trace, come from the
// model worker (prepareVcpuLanes). After the first frame the remaining levels
// are built in idle time, so most zooms find theirs ready.

import { useSyncExternalStore } from 'react';
import type { DrawnRun } from '../../model/drawnRun';
import { runColors, type PaletteName, type VmLegend } from '../../render/colors';
import { computeLod, type LodResult } from '../../render/lod';
import { MapScene } from '../../render/scene';
import type { Viewport } from '../../render/viewport';
import type { VcpuTrack } from '../../model/vcpuTracks';
import { requestVcpuTracks } from '../modelClient';
import { runSliced, type SliceOptions } from '../sliced';

/**
 * A pane's map scene and what the page tracks of it: whether (and with which lanes) the map drew it, who
 * waits for that, the idle-time prebuilding, the vCPU tracks being fetched, the legend's VM colour ramps.
 * Held in the pane's store.
 */
export class PaneScene {
  private built: MapScene | null = null;
  private legends = new Map<string, VmLegend[]>();
  /** 0 before the first frame, then bumped whenever the map draws with other lanes or colours. */
  version = 0;
  readonly listeners = new Set<() => void>();
  prebuilding = false;
  vcpuFetch: Promise<void> | null = null;

  constructor(readonly run: DrawnRun) {}

  /** The scene (built on first use: lanes, colours, the slice index over the run's drawn slices). */
  get scene(): MapScene {
    this.built ??= new MapScene(this.run);
    return this.built;
  }

  get isBuilt(): boolean {
    return this.built !== null;
  }

  /**
   * The VM colour ramps as the map draws them, for the legend and the panel's charts: computed once per
   * palette and colour slots (it colours every task of the run: a few ms, paid when the trace arrives).
   */
  legend(palette: PaletteName, vmNames: readonly string[] | undefined): VmLegend[] {
    const key = JSON.stringify([palette, vmNames ?? null]);
    let legend = this.legends.get(key);
    if (!legend) {
      legend = runColors(this.run, vmNames ? { palette, vmNames } : { palette }).legend;
      this.legends.set(key, legend);
    }
    return legend;
  }
}

/** Build every pyramid level of the scene's current lanes in idle time (one level of one lane at a time). */
function prebuildWhenIdle(pane: PaneScene): void {
  if (pane.prebuilding) return;
  pane.prebuilding = true;
  const idle =
    typeof requestIdleCallback === 'function'
      ? (f: () => void) => requestIdleCallback(f, { timeout: 500 })
      : (f: () => void) => setTimeout(f, 50);
  const step = (): void => {
    if (pane.scene.prebuildSome(8)) idle(step);
    else pane.prebuilding = false;
  };
  idle(step);
}

/** The tasks of the run's vCPU lanes (every VM's, hidden ones too: hiding them is the map's mask). */
function vcpuTasks(scene: MapScene): number[] {
  return scene.run.vms.flatMap((vm) => vm.vcpus.map((v) => v.task)).filter((t) => t >= 0);
}

/**
 * Get the tracks of the run's vCPU lanes from the model worker, then call `ready`: synchronously when the
 * scene has them already. Returns a cancel function (after it `ready` is not called; tracks that arrive
 * are kept for the next call).
 */
export function prepareVcpuLanes(
  pane: PaneScene,
  ready: () => void,
  fetch: (runId: number, tasks: readonly number[]) => Promise<VcpuTrack[]> = requestVcpuTracks,
): () => void {
  const scene = pane.scene;
  const tasks = vcpuTasks(scene);
  if (scene.index.hasVcpuTracks(tasks)) {
    ready();
    return () => {};
  }
  let live = true;
  pane.vcpuFetch ??= fetch(pane.run.id, tasks).then((tracks) => {
    scene.index.adoptVcpuTracks(tracks);
    pane.vcpuFetch = null;
  });
  void pane.vcpuFetch.then(() => {
    if (live) prepareVcpuLanes(pane, ready, fetch);
  });
  return () => {
    live = false;
  };
}

/**
 * Build, a slice at a time, the pyramid levels a frame of `view` at `width` columns reads on the scene's
 * current lanes (computing each lane's level of detail alone builds its level; the result is thrown away),
 * then call `ready`: synchronously when it all fits in the first slice (levels already built, small traces).
 * Returns a cancel function (after it `ready` is not called; the levels built so far stay).
 */
export function prepareFrame(
  scene: MapScene,
  view: Viewport,
  width: number,
  ready: () => void,
  opts: SliceOptions = {},
): () => void {
  const lanes = scene.lodInputs;
  const now = opts.now ?? (() => performance.now());
  let i = 0;
  let scratch: LodResult | undefined;
  return runSliced(
    (deadline) => {
      // At least one lane per slice, so a slice always makes progress.
      while (i < lanes.length) {
        const lane = lanes[i++];
        if (!lane.pyramid) continue;
        scratch = computeLod([lane], view.start, view.end, width, undefined, scratch);
        if (i < lanes.length && now() >= deadline) return true;
      }
      return false;
    },
    ready,
    { ...opts, now },
  );
}

/**
 * The map drew a frame of the scene; `lanesChanged`: with other lanes or colours than its last one. The
 * first frame and new lanes are told to the minimap and the rest of the pane (in a task of their own, not
 * the one that drew the map), and start idle-time prebuilding of the lanes' levels.
 */
export function markDrawn(pane: PaneScene, lanesChanged: boolean): void {
  if (pane.version > 0 && !lanesChanged) return;
  pane.version++;
  setTimeout(() => {
    for (const f of pane.listeners) f();
  }, 0);
  prebuildWhenIdle(pane);
}

/** 0 until the map drew the scene's first frame, then a number that changes whenever its lanes do. */
export function useLanesVersion(pane: PaneScene): number {
  return useSyncExternalStore(
    (f) => {
      pane.listeners.add(f);
      return () => pane.listeners.delete(f);
    },
    () => pane.version,
  );
}

/** Whether the map drew the scene's first frame. */
export function useDrawn(pane: PaneScene): boolean {
  return useLanesVersion(pane) > 0;
}
