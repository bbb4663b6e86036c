// What this browser keeps of the open traces, and a way to forget them.

import { bytes } from '../../model/format';
import type { KeptState } from './useKeptTraces';

export function KeptNote({ state, forget }: { state: KeptState; forget: () => void }) {
  if (!state.kept && state.notKept.length === 0 && !state.forgotten && !state.error) return null;
  return (
    <div className="kept-note" data-testid="kept-note">
      {state.kept && (
        <span data-testid="kept-files">
          Kept in this browser only (its IndexedDB, never sent anywhere): {state.kept.names.join(', ')} (
          {bytes(state.kept.bytes)}); a reload reopens them.{' '}
          <button data-testid="forget-kept" onClick={forget}>
            Forget them
          </button>
        </span>
      )}
      {state.notKept.length > 0 && (
        <span data-testid="not-kept">
          {' '}
          Not kept: {state.notKept.map((n) => `${n.name} (${bytes(n.size)}, ${n.why})`).join(', ')}; a reload will not
          reopen {state.notKept.length === 1 ? 'it' : 'them'}.
        </span>
      )}
      {state.forgotten && <span>Forgotten: a reload will not reopen these traces.</span>}
      {state.error && <span>Not kept: {state.error}.</span>}
    </div>
  );
}
