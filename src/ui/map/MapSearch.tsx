// The map's search box (Ctrl+F or /): a thread id, a thread name or a VM name;
// the matches listed with their slice counts, Enter / ↓ (Shift+Enter / ↑) to
// jump to the next (previous) match, a click on one to jump to it, its pin
// button to pin its lanes, Esc to close. Names are trace text: rendered as
// text only.

import { useEffect, useRef, useState } from 'react';
import { thousands } from '../../model/format';
import type { SearchMatch } from '../../analysis/search';
import type { MapScene } from '../../render/scene';
import { searchJump } from '../../render/searchJump';
import { paneBounds } from '../pane/paneBounds';
import { vmLabel } from '../pane/paneStore';
import { usePane, usePaneStore } from '../pane/PaneContext';
import { jumpToMatch, useSearchResult } from './useMapSearch';

/** Rows the list shows (the rest are counted). */
const LIST_ROWS = 200;

export function MapSearch({ scene, mapHeight, onClose }: { scene: MapScene; mapHeight: number; onClose: () => void }) {
  const store = usePaneStore();
  const search = usePane((s) => s.search);
  const run = usePane((s) => s.run);
  const vmLabels = usePane((s) => s.vmLabels);
  const laneMode = usePane((s) => s.laneMode);
  const result = useSearchResult();
  const input = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (search.open) input.current?.focus();
  }, [search.open]);
  useEffect(() => setNote(null), [search.query, laneMode]);
  if (!search.open) return null;

  const { matches, total } = result;
  const vms = matches.filter((m) => m.kind === 'vm').length;
  const jump = (i: number): void => {
    const m = matches[i];
    if (!m) return;
    const ok = jumpToMatch(store, scene, mapHeight, m, i);
    setNote(
      ok
        ? null
        : laneMode === 'vcpu' && m.kind === 'task' && m.vm < 0
          ? `${m.name}:${m.tid} is a host thread: it has no vCPU lane (V: CPU lanes)`
          : `${describe(m)} has no slice on the lanes shown`,
    );
  };
  const step = (dir: 1 | -1): void => {
    if (matches.length === 0) return;
    const cur = search.current;
    jump(cur < 0 ? (dir === 1 ? 0 : matches.length - 1) : (cur + dir + matches.length) % matches.length);
  };
  const describe = (m: SearchMatch): string =>
    m.kind === 'vm' ? `VM ${m.name}` : `${m.name}:${m.tid}${m.vm >= 0 ? ` (${vmLabel({ run, vmLabels }, m.vm)})` : ''}`;
  // Pin the match's lanes: its vCPU lanes in vCPU mode, else the CPU lane it is jumped to on.
  const pin = (m: SearchMatch): void => {
    const s = store.getState();
    if (s.laneMode === 'vcpu') {
      const tids = scene.lanes.flatMap((l) => (l.kind === 'vcpu' && m.tasks.includes(l.task) ? [l.tid] : []));
      const fresh = tids.filter((t) => !s.pins.vcpu.includes(t));
      s.setPins({
        ...s.pins,
        vcpu: fresh.length > 0 ? [...s.pins.vcpu, ...fresh] : s.pins.vcpu.filter((t) => !tids.includes(t)),
      });
      if (tids.length === 0) setNote(`${describe(m)} has no vCPU lane`);
      return;
    }
    const j = searchJump(s.run.slices, scene.lanes, m.tasks, s.view, paneBounds(s));
    const lane = j ? scene.lanes[j.lane] : undefined;
    if (lane?.kind === 'cpu') s.togglePin('cpu', lane.cpu);
    else setNote(`${describe(m)} has no slice on the lanes shown`);
  };
  const cur = search.current >= 0 && search.current < matches.length ? search.current : -1;
  const count =
    search.query.trim() === ''
      ? 'a thread id, a thread name or a VM name'
      : total === 0
        ? `no thread or VM matches “${search.query.trim()}”`
        : `${cur >= 0 ? `${cur + 1} of ` : ''}${total} match${total === 1 ? '' : 'es'}` +
          ` (${vms} VM${vms === 1 ? '' : 's'}, ${total - vms} thread${total - vms === 1 ? '' : 's'})`;
  return (
    <div className="map-search" data-testid="map-search" onKeyDown={(e) => e.stopPropagation()}>
      <div className="map-search-bar">
        <input
          ref={input}
          type="search"
          placeholder="Find tid, comm or VM"
          aria-label="Find a thread id, thread name or VM name"
          data-testid="map-search-input"
          value={search.query}
          onChange={(e) => store.getState().setSearch({ query: e.currentTarget.value, current: -1 })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') step(e.shiftKey ? -1 : 1);
            else if (e.key === 'ArrowDown') step(1);
            else if (e.key === 'ArrowUp') step(-1);
            else if (e.key === 'Escape') onClose();
            else return;
            e.preventDefault();
          }}
        />
        <span
          className={total === 0 && search.query.trim() !== '' ? 'map-search-count none' : 'map-search-count'}
          data-testid="map-search-count"
          data-total={total}
          data-current={cur}
        >
          {count}
        </span>
        <button title="Previous match (Shift+Enter, ↑)" onClick={() => step(-1)} disabled={total === 0}>
          ↑
        </button>
        <button title="Next match (Enter, ↓)" onClick={() => step(1)} disabled={total === 0}>
          ↓
        </button>
        <button title="Close (Esc)" onClick={onClose} data-testid="map-search-close">
          ×
        </button>
        {note && (
          <span className="map-search-note" data-testid="map-search-note">
            {note}
          </span>
        )}
      </div>
      {matches.length > 0 && (
        <ol className="map-search-list" data-testid="map-search-list">
          {matches.slice(0, LIST_ROWS).map((m, i) => (
            <li
              key={`${m.kind}:${m.id}`}
              className={i === cur ? 'current' : undefined}
              data-testid="map-search-match"
              data-kind={m.kind}
              data-tid={m.tid}
              data-slices={m.slices}
            >
              <button className="map-search-go" onClick={() => jump(i)} title={`Jump to ${describe(m)}`}>
                <span
                  className="swatch"
                  style={{ background: scene.colors.legend[m.kind === 'vm' ? m.id : m.vm]?.color ?? '#5a6270' }}
                />
                {m.kind === 'vm' ? <b>{m.name}</b> : <span>{m.name}</span>}
                <span className="muted">
                  {m.kind === 'vm' ? ` VM${m.field === 'pid' ? ` · pid ${run.vms[m.id]?.tgid}` : ''}` : ` · ${m.tid}`}
                  {m.kind === 'task' && m.vm >= 0 ? ` · ${vmLabel({ run, vmLabels }, m.vm)}` : ''} ·{' '}
                  {thousands(m.slices)} slice{m.slices === 1 ? '' : 's'}
                </span>
              </button>
              <button
                className="map-search-pin"
                onClick={() => pin(m)}
                title="Pin its lanes above the others (P on a lane)"
                data-testid="map-search-pin"
              >
                pin
              </button>
            </li>
          ))}
          {total > LIST_ROWS && <li className="muted">… {total - LIST_ROWS} more</li>}
        </ol>
      )}
    </div>
  );
}
