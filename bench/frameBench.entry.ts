// Browser side of the frame benchmark: build a generated run in the page and
// time map redraws at 1600x900 into a real canvas (OffscreenCanvas 2D).

import { benchRun } from './benchModel';
import type { Ctx2D } from '../src/render/canvas';
import { benchFrames } from './frameBench';

declare global {
  interface Window {
    schedmapFrameBench: (switches: number) => {
      medianMs: number;
      meanMs: number;
      p90Ms: number;
      prepareMs: number;
      switches: number;
    };
  }
}

window.schedmapFrameBench = (switches: number) => {
  const run = benchRun(switches, { cpus: 80, vms: 8, vcpus: 20, policy: 'ple-on', seed: 1 });
  const canvas = new OffscreenCanvas(1600, 900);
  const ctx = canvas.getContext('2d') as unknown as Ctx2D;
  const r = benchFrames(run, { width: 1600, height: 900, frames: 60, ctx });
  return { medianMs: r.medianMs, meanMs: r.meanMs, p90Ms: r.p90Ms, prepareMs: r.prepareMs, switches: r.switches };
};
