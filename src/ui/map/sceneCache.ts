// One MapScene per run, shared by the pane's map and minimap (the drawn slices
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
import { computeLod, type LodResult } from '../../render/lod';
import { MapScene } from '../../render/scene';
import type { Viewport } from '../../render/viewport';
import type { VcpuTrack } from '../../model/vcpuTracks';
import { requestVcpuTracks } from '../modelClient';
import { runSliced, type SliceOptions } from '../sliced';

const scenes = new WeakMap<DrawnRun, MapScene>();
/** Per scene: 0 before its first frame, then bumped whenever the map draws with other lanes or colours. */
const versions = new WeakMap<MapScene, number>();
const listeners = new WeakMap<MapScene, Set<() => void>>();
const prebuilding = new WeakSet<MapScene>();
/** Per scene, the vCPU tracks being fetched from the model worker (asked once, whoever asks again). */
const vcpuFetches = new WeakMap<MapScene, Promise<void>>();

/** Build every pyramid level of the scene's current lanes in idle time (one level of one lane at a time). */
function prebuildWhenIdle(scene: MapScene): void {
  if (prebuilding.has(scene)) return;
  prebuilding.add(scene);
  const idle =
    typeof requestIdleCallback === 'function'
      ? (f: () => void) => requestIdleCallback(f, { timeout: 500 })
      : (f: () => void) => setTimeout(f, 50);
  const step = (): void => {
    if (scene.prebuildSome(8)) idle(step);
    else prebuilding.delete(scene);
  };
  idle(step);
}

export function sceneFor(run: DrawnRun): MapScene {
  let scene = scenes.get(run);
  if (!scene) {
    scene = new MapScene(run);
    scenes.set(run, scene);
  }
  return scene;
}

/** Whether the run's scene exists already (its pane was mounted before). */
export function hasScene(run: DrawnRun): boolean {
  return scenes.has(run);
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
  scene: MapScene,
  runId: number,
  ready: () => void,
  fetch: (runId: number, tasks: readonly number[]) => Promise<VcpuTrack[]> = requestVcpuTracks,
): () => void {
  const tasks = vcpuTasks(scene);
  if (scene.index.hasVcpuTracks(tasks)) {
    ready();
    return () => {};
  }
  let live = true;
  let pending = vcpuFetches.get(scene);
  if (!pending) {
    pending = fetch(runId, tasks).then((tracks) => {
      scene.index.adoptVcpuTracks(tracks);
      vcpuFetches.delete(scene);
    });
    vcpuFetches.set(scene, pending);
  }
  void pending.then(() => {
    if (live) prepareVcpuLanes(scene, runId, ready, fetch);
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
export function markDrawn(scene: MapScene, lanesChanged: boolean): void {
  const v = versions.get(scene) ?? 0;
  if (v > 0 && !lanesChanged) return;
  versions.set(scene, v + 1);
  setTimeout(() => {
    for (const f of listeners.get(scene) ?? []) f();
  }, 0);
  prebuildWhenIdle(scene);
}

function subscribe(scene: MapScene, f: () => void): () => void {
  let set = listeners.get(scene);
  if (!set) listeners.set(scene, (set = new Set()));
  set.add(f);
  return () => set.delete(f);
}

/** 0 until the map drew the scene's first frame, then a number that changes whenever its lanes do. */
export function useLanesVersion(scene: MapScene): number {
  return useSyncExternalStore(
    (f) => subscribe(scene, f),
    () => versions.get(scene) ?? 0,
  );
}

/** Whether the map drew the scene's first frame. */
export function useDrawn(scene: MapScene): boolean {
  return useLanesVersion(scene) > 0;
}
