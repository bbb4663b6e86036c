// Scenes and slice indexes of a whole run or model at hand (tests and the frame bench). The page builds them
// from what the model worker sends it (drawn slices, vCPU tracks on request); here the model itself is there,
// so both come from it.

import { groupSlicesByCpu } from '../model/cpuSlices';
import { drawnRunOf, modelHead } from '../model/drawnRun';
import type { Run } from '../model/runs';
import type { TraceModel } from '../model/types';
import { vcpuTracks } from '../model/vcpuTracks';
import { MapScene, type SceneOptions } from '../render/scene';
import { SliceIndex } from '../render/sliceIndex';

/** The scene of a run: its drawn slices, and vCPU tracks from its model. */
export function sceneOfRun(run: Run, opts: SceneOptions = {}): MapScene {
  return new MapScene(drawnRunOf(run), opts, (tasks) => vcpuTracks(run.model, tasks));
}

/** The slice index of a model: its drawn slices, and vCPU tracks from the model. */
export function indexOfModel(model: TraceModel): SliceIndex {
  return new SliceIndex({ model: modelHead(model), slices: groupSlicesByCpu(model) }, (t) => vcpuTracks(model, t));
}
