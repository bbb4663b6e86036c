import { useCallback, useEffect, useState } from 'react';
import { useAppStore } from './appStore';
import { DropZone } from './DropZone';
import { embeddedTraceFiles } from './embedded';
import { RunPane } from './RunPane';
import { ShortcutsHelp } from './ShortcutsHelp';
import { listSamples, sampleFile, type Sample } from './samples';

// A pane's store belongs to one Run object: a re-assembled run (a companion
// joined it) gets a fresh pane.
const runKeys = new WeakMap<object, number>();
let nextRunKey = 1;
function runKey(run: object): number {
  let k = runKeys.get(run);
  if (k === undefined) runKeys.set(run, (k = nextRunKey++));
  return k;
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} kB`;
}

export function App() {
  const { runs, errors, status, load, palette, setPalette, toggleHelp } = useAppStore();
  const [samples, setSamples] = useState<Sample[]>([]);
  const onFiles = useCallback((files: File[]) => void load(files), [load]);

  useEffect(() => {
    let alive = true;
    // A report made by `schedmap report` opens its own traces.
    const embedded = embeddedTraceFiles();
    if (embedded.length > 0) void load(embedded);
    void listSamples().then(async (list) => {
      if (!alive) return;
      setSamples(list);
      if (embedded.length > 0) return;
      // Open with the first sample so the app shows something at once.
      if (list.length > 0 && useAppStore.getState().runs.length === 0 && !location.hash.includes('nosample'))
        await load([await sampleFile(list[0])]);
    });
    return () => {
      alive = false;
    };
  }, [load]);

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
        <select
          aria-label="Samples"
          value=""
          onChange={async (e) => {
            const s = samples.find((x) => x.file === e.target.value);
            if (s) await load([await sampleFile(s)]);
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
                {status.progress.file}: {formatBytes(status.progress.bytesRead)} of{' '}
                {formatBytes(status.progress.totalBytes)} (
                {((100 * status.progress.bytesRead) / Math.max(1, status.progress.totalBytes)).toFixed(0)}%)
              </span>
            </>
          ) : (
            <span>Starting…</span>
          )}
          <button onClick={status.cancel}>Cancel</button>
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
      <main>
        {runs.map((run) => (
          <RunPane key={runKey(run)} run={run} />
        ))}
      </main>
    </DropZone>
  );
}
