// One run: its label (editable), summary line, legend, map with the switch-rate
// timeline under it and the minimap, the analysis panel and (below) the
// parser's warnings. Everything inside reads this pane's own store. Close and
// replace act on this run alone: the other panes keep their state.

import { memo, startTransition, useEffect, useState, type ReactNode } from 'react';
import type { DrawnRun } from '../model/drawnRun';
import { describeTopology } from '../model/topology';
import { labelOfFile, runKey, useAppStore } from './appStore';
import { Legend } from './Legend';
import { MapView } from './map/MapView';
import { NodeSwatch } from './NodeSwatch';
import { Minimap } from './map/Minimap';
import { PaneScene, useDrawn } from './map/sceneCache';
import { pageSearchKey, paneSearchKey } from './map/useMapSearch';
import { PaneProvider } from './pane/PaneContext';
import { usePane, usePaneStore } from './pane/PaneContext';
import { AnalysisPanel } from './panel/AnalysisPanel';
import { SwitchTimeline } from './panel/SwitchTimeline';
import { RunSummary } from './RunSummary';
import { Segmented } from './Segmented';
import { runSliced } from './sliced';
import { WarningsPanel } from './WarningsPanel';

function LaneModeSwitch() {
  const mode = usePane((s) => s.laneMode);
  const setMode = usePane((s) => s.setLaneMode);
  return (
    <Segmented
      block
      label="Lanes"
      value={mode}
      onChange={setMode}
      options={[
        { value: 'cpu', text: 'host CPUs' },
        { value: 'vcpu', text: 'vCPU threads' },
      ]}
    />
  );
}

/**
 * What the pane knows of the host's topology: its summary and the lane-order and vCPU-colour controls;
 * why a dropped file was not applied; or that it is unknown and how to add it.
 */
function TopologyBar({ run }: { run: DrawnRun }) {
  const mode = usePane((s) => s.laneMode);
  const cpuOrder = usePane((s) => s.cpuOrder);
  const setCpuOrder = usePane((s) => s.setCpuOrder);
  const shading = usePane((s) => s.vcpuShading);
  const setShading = usePane((s) => s.setVcpuShading);
  const file = run.topologyFile;
  const topo = run.topology;
  if (!topo)
    return (
      <div className="topology-bar" data-testid="topology-bar" data-state={run.topologyError ? 'error' : 'unknown'}>
        {run.topologyError ? (
          <span className="error" role="alert" data-testid="topology-error">
            Topology not applied: {run.topologyError}
          </span>
        ) : (
          <span className="muted" data-testid="topology-unknown">
            topology unknown — drop an <code>lscpu -p</code> (or <code>numactl -H</code>) file of this host
          </span>
        )}
      </div>
    );
  return (
    <div className="topology-bar" data-testid="topology-bar" data-state="known" data-nodes={topo.nodes.join(',')}>
      <span data-testid="topology-summary" title={file ?? undefined}>
        topology: {describeTopology(topo)}
        {file ? <span className="muted"> ({file})</span> : null}
      </span>
      {mode === 'cpu' ? (
        <Segmented
          label="Host CPU lane order"
          value={cpuOrder}
          onChange={setCpuOrder}
          options={[
            { value: 'numeric', text: 'by CPU number', testId: 'cpu-order-numeric' },
            {
              value: 'topology',
              text: 'by node / core',
              testId: 'cpu-order-topology',
              title: 'Group lanes by NUMA node, socket and core (SMT siblings next to each other)',
            },
          ]}
        />
      ) : (
        <Segmented
          label="vCPU lane colour"
          value={shading}
          onChange={setShading}
          options={[
            { value: 'vm', text: 'vCPU colour', testId: 'vcpu-shading-vm' },
            {
              value: 'node',
              text: 'node it ran on',
              testId: 'vcpu-shading-node',
              title: 'Colour running time by the NUMA node it ran on',
            },
          ]}
        />
      )}
      <span className="node-legend" data-testid="node-legend">
        {topo.nodes.map((n) => (
          <span key={n}>
            <NodeSwatch node={n} />
            node {n}
          </span>
        ))}
      </span>
    </div>
  );
}

function RunLabel({ run }: { run: DrawnRun }) {
  const key = runKey(run);
  const label = useAppStore((s) => s.labels[key]) ?? labelOfFile(run.name);
  const setLabel = useAppStore((s) => s.setLabel);
  return (
    <input
      className="run-label"
      data-testid="run-label"
      aria-label="Run label"
      title="Label of this run (e.g. PLE on): used in the comparison and exports"
      value={label}
      size={Math.max(8, Math.min(28, label.length + 1))}
      onChange={(e) => setLabel(key, e.target.value)}
    />
  );
}

function RunActions({ run }: { run: DrawnRun }) {
  const replaceRun = useAppStore((s) => s.replaceRun);
  const closeRun = useAppStore((s) => s.closeRun);
  return (
    <span className="run-actions">
      <label className="file-button small" title="Open another trace in place of this one (the other runs stay)">
        replace…
        <input
          type="file"
          multiple
          data-testid="replace-input"
          onChange={(e) => {
            void replaceRun(run, Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
      </label>
      <button className="close-run" data-testid="close-run" title="Close this run" onClick={() => closeRun(run)}>
        ×
      </button>
    </span>
  );
}

/**
 * Whether what the pane's summary, legend and map need is ready: the map scene (its slices grouped by CPU came
 * from the model worker; lanes and colours) and the legend's colours, each built in a task of its own after the
 * pane's title is up, so a trace's arrival is several short tasks, not one long one.
 */
function useSceneReady(pane: PaneScene, colorVmNames: readonly string[] | undefined): boolean {
  const palette = useAppStore((s) => s.palette);
  const [ready, setReady] = useState(() => pane.isBuilt);
  useEffect(() => {
    if (ready) return;
    const steps = [() => pane.scene, () => pane.legend(palette, colorVmNames)];
    let i = 0;
    return runSliced(
      () => {
        steps[i++]();
        return i < steps.length;
      },
      () => startTransition(() => setReady(true)),
      { sliceMs: 0, defer: true },
    );
  }, [ready, pane, palette, colorVmNames]);
  return ready;
}

/**
 * Children mounted once the pane's map has drawn its first frame, in a transition (React renders them in
 * slices): a trace's arrival then costs the page a few short tasks instead of one long one, and the map
 * comes first.
 */
function AfterFirstFrame({ children }: { children: ReactNode }) {
  const scene = usePane((s) => s.scene);
  const drawn = useDrawn(scene);
  const [show, setShow] = useState(drawn);
  useEffect(() => {
    if (drawn && !show) startTransition(() => setShow(true));
  }, [drawn, show]);
  return show ? children : null;
}

/** The pane's box: the search keys (Ctrl+F, /) open the map search from wherever the focus is in it. */
function PaneSection({ name, children }: { name: string; children: ReactNode }) {
  const store = usePaneStore();
  const paneId = usePane((s) => s.paneId);
  const setActivePane = useAppStore((s) => s.setActivePane);
  // Outside every pane (the page's body, the top bar) the keys open the last used pane's search.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => pageSearchKey(store, paneId, e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, paneId]);
  return (
    <section
      className="run-pane"
      data-testid="run-pane"
      data-run-name={name}
      onKeyDown={(e) => paneSearchKey(store, e)}
      onPointerDown={() => setActivePane(paneId)}
      onFocus={() => setActivePane(paneId)}
    >
      {children}
    </section>
  );
}

/**
 * Memoised: the app re-renders when a pane publishes its metrics, and re-rendering every pane's tables and
 * charts with it would cost a big trace's page a long task for nothing (the pane's parts subscribe to what
 * they show).
 */
export const RunPane = memo(function RunPane({
  run,
  colorVmNames,
}: {
  run: DrawnRun;
  colorVmNames?: readonly string[];
}) {
  const [scene] = useState(() => new PaneScene(run));
  const ready = useSceneReady(scene, colorVmNames);
  return (
    <PaneProvider run={run} paneId={runKey(run)} scene={scene} colorVmNames={colorVmNames}>
      <PaneSection name={run.name}>
        <div className="pane-head">
          <div className="pane-title">
            <RunLabel run={run} />
            <LaneModeSwitch />
            <RunActions run={run} />
          </div>
          {ready && <RunSummary run={run} />}
        </div>
        {ready && (
          <>
            <Legend />
            <TopologyBar run={run} />
            <MapView />
            <AfterFirstFrame>
              <SwitchTimeline />
              <Minimap />
              <AnalysisPanel />
              <WarningsPanel run={run} />
            </AfterFirstFrame>
          </>
        )}
      </PaneSection>
    </PaneProvider>
  );
});
