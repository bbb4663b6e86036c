import { useCallback, useEffect, useState } from 'react';
import { runKey, useAppStore } from './appStore';
import { CompareBar, CompareSummary, CompareTable } from './compare/ComparePanel';
import { useColorSlots, useVmGroups } from './compare/useComparison';
import { DropZone } from './DropZone';
import { useUrlState } from './useUrlState';
import { useEmbeddedView } from './useEmbeddedView';
import { KeptNote } from './keep/KeptNote';
import { mayKeep } from './keep/keepPlan';
import { restoreKept, useKeptTraces } from './keep/useKeptTraces';
import { embeddedTraceFiles, hasEmbeddedTraces } from './embedded';
import { RunPane } from './RunPane';
import { ShortcutsHelp } from './ShortcutsHelp';
import { listSamples, sampleFiles, type Sample } from './samples';
import { bytes, fixed, percentDone, thousands } from '../model/format';

// A pane's store belongs to one run (its id in the model worker): a
// re-assembled run (a companion joined it) gets a fresh pane.

export function App() {
  const errors = useAppStore((s) => s.errors);
  const status = useAppStore((s) => s.status);
  const load = useAppStore((s) => s.load);
  const addRuns = useAppStore((s) => s.addRuns);
  const palette = useAppStore((s) => s.palette);
  const setPalette = useAppStore((s) => s.setPalette);
  const toggleHelp = useAppStore((s) => s.toggleHelp);
  const layout = useAppStore((s) => s.layout);
  const { runs, groups } = useVmGroups();
  const colorSlots = useColorSlots(runs, groups);
  const comparing = runs.length > 1;
  const [samples, setSamples] = useState<Sample[]>([]);
  const link = useUrlState(runs);
  useEmbeddedView(runs, status.state === 'done');
  const onFiles = useCallback((files: File[]) => void load(files), [load]);

  // Over http(s) the open traces are kept in this browser; from file:// (one-file build, reports) nothing is.
  const [keep] = useState(() => mayKeep(location.protocol, hasEmbeddedTraces()));
  const [restoring, setRestoring] = useState(keep);
  const kept = useKeptTraces(runs, keep, restoring);

  useEffect(() => {
    let alive = true;
    // A report made by `schedmap report` opens its own traces.
    const embedded = embeddedTraceFiles();
    if (embedded.length > 0) void load(embedded);
    // Traces kept from before a reload come back first (the URL's view then restores as a link's).
    const restored = keep
      ? restoreKept()
          .catch(() => false)
          .finally(() => alive && setRestoring(false))
      : Promise.resolve(false);
    void Promise.all([listSamples(), restored]).then(async ([list, wasKept]) => {
      if (!alive) return;
      setSamples(list);
      if (embedded.length > 0 || wasKept) return;
      // Open with the first sample so the app shows something at once.
      // (Not when a link carries a view: it waits for its own files.)
      if (
        list.length > 0 &&
        useAppStore.getState().runs.length === 0 &&
        !location.hash.includes('nosample') &&
        !location.hash.includes('s=')
      )
        await load(await sampleFiles(list[0]), { sample: true });
    });
    return () => {
      alive = false;
    };
  }, [load, keep]);

  return (
    <DropZone onFiles={onFiles}>
      <header className="app-header">
        <h1>SchedMap</h1>
        <label className="file-button">
          Open trace…
          <input
            type="file"
            multiple
            data-testid="trace-input"
            onChange={(e) => {
              onFiles(Array.from(e.target.files ?? []));
              e.target.value = '';
            }}
          />
        </label>
        {runs.length > 0 && (
          <label className="file-button" title="Open traces next to the current ones, for a comparison">
            Add run…
            <input
              type="file"
              multiple
              data-testid="add-trace-input"
              onChange={(e) => {
                void addRuns(Array.from(e.target.files ?? []));
                e.target.value = '';
              }}
            />
          </label>
        )}
        <select
          aria-label="Samples"
          value=""
          onChange={async (e) => {
            const s = samples.find((x) => x.file === e.target.value);
            if (s) await load(await sampleFiles(s), { sample: true });
          }}
        >
          <option value="">Samples…</option>
          {samples.map((s) => (
            <option key={s.file} value={s.file} title={s.description}>
              {s.label}
            </option>
          ))}
        </select>
        <label>
          Colours{' '}
          <select value={palette} onChange={(e) => setPalette(e.target.value as typeof palette)}>
            <option value="hcl">perceptual</option>
            <option value="okabe-ito">colour-blind safe</option>
          </select>
        </label>
        <span className="hint">Drop, pick or paste a trace (.gz too)</span>
        <button className="help-button" onClick={toggleHelp} title="Keyboard shortcuts (?)">
          ?
        </button>
      </header>
      <ShortcutsHelp />
      {status.state === 'parsing' && (
        <div className="progress" data-testid="parse-progress">
          {status.progress ? (
            <>
              <progress max={status.progress.totalBytes} value={status.progress.bytesRead} />
              <span>
                {status.progress.file}: {bytes(status.progress.bytesRead)} of {bytes(status.progress.totalBytes)} (
                {percentDone(status.progress.bytesRead, status.progress.totalBytes)})
              </span>
            </>
          ) : (
            <span>Starting…</span>
          )}
          <button onClick={status.cancel}>Cancel</button>
        </div>
      )}
      {status.state === 'cancelled' && (
        <div
          className="progress"
          data-testid="parse-cancelled"
          data-bytes-read={status.bytesRead}
          data-total-bytes={status.totalBytes}
          data-stop-ms={fixed(status.stopMs, 1)}
        >
          <span>
            Cancelled after {bytes(status.bytesRead)} of {bytes(status.totalBytes)}: nothing was opened.
          </span>
        </div>
      )}
      {errors.length > 0 && (
        <div className="errors" role="alert" data-testid="load-errors">
          {errors.map((e, i) => (
            <p key={i}>
              <strong>{e.file}</strong>: {e.message}
            </p>
          ))}
        </div>
      )}
      <KeptNote state={kept} forget={kept.forget} />
      {(link.waitingFor || link.note) && (
        <div className="link-note" data-testid="link-note">
          {link.waitingFor && (
            <p>
              This link shows a view of{' '}
              {link.waitingFor.map((r, i) => (
                <span key={i}>
                  {i > 0 && ', '}
                  <strong>{r.name}</strong> ({thousands(r.size)} bytes)
                </span>
              ))}
              . Open the same files to restore it.
            </p>
          )}
          {link.note && <p>{link.note}</p>}
        </div>
      )}
      <main>
        {comparing && (
          <section className="compare-head" data-testid="compare-head">
            <CompareBar />
            <CompareSummary />
          </section>
        )}
        <div
          className={`panes ${comparing ? layout : 'single'}`}
          data-testid="panes"
          data-layout={comparing ? layout : 'single'}
          style={
            comparing && layout === 'side'
              ? { gridTemplateColumns: `repeat(${Math.min(runs.length, 3)}, minmax(0, 1fr))` }
              : undefined
          }
        >
          {runs.map((run, i) => (
            <RunPane key={runKey(run)} run={run} colorVmNames={colorSlots?.[i]} />
          ))}
        </div>
        {comparing && (
          <section className="compare-section" data-testid="compare-section">
            <h2>Comparison</h2>
            <CompareTable />
          </section>
        )}
      </main>
    </DropZone>
  );
}
