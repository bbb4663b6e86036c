// One MapScene per run, shared by the pane's map and minimap (the slice index
// of a 10M-switch trace is ~240 MB: never build it twice). The pyramid levels
// are built in idle time after load, so no zoom level pauses on first use.

import type { Run } from '../../model/runs';
import { MapScene } from '../../render/scene';

const scenes = new WeakMap<Run, MapScene>();

function prebuildWhenIdle(scene: MapScene): void {
  const idle =
    typeof requestIdleCallback === 'function'
      ? (f: () => void) => requestIdleCallback(f, { timeout: 500 })
      : (f: () => void) => setTimeout(f, 50);
  const step = (): void => {
    if (scene.prebuildSome(8)) idle(step);
  };
  idle(step);
}

export function sceneFor(run: Run): MapScene {
  let scene = scenes.get(run);
  if (!scene) {
    scene = new MapScene(run);
    scenes.set(run, scene);
    prebuildWhenIdle(scene);
  }
  return scene;
}
