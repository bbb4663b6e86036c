// The view in the URL fragment, so a link (with the same files) restores it:
// visible window, lane mode, highlighted VM, selection and pinned lanes per pane, and which
// runs are open (by file name and size). The fragment carries a version;
// upgraders turn any older version into the current one, so links made today
// still open after later releases. A fragment is untrusted input: whatever
// does not fit is dropped, never trusted.
//
//   #v=2&s=<JSON, URI-encoded>
//
// Version 2 added each pane's pinned lanes (`pins`); a version 1 link opens with none.

export const URL_STATE_VERSION = 2;

export interface PaneUrlState {
  /** Visible window, relative ns. */
  view: [number, number] | null;
  lane: 'cpu' | 'vcpu';
  /** Highlighted VM, by name. */
  vm: string | null;
  /** Selected time range, relative ns. */
  sel: [number, number] | null;
  /** Lanes pinned to the top: CPU numbers (CPU lanes) and vCPU thread ids (vCPU lanes), in pin order. */
  pins: { cpu: number[]; vcpu: number[] };
}

export interface UrlState {
  /** The open runs, in order: file name and size in bytes. */
  runs: { name: string; size: number }[];
  panes: PaneUrlState[];
}

/** Each entry upgrades a state of version k to version k + 1. */
const UPGRADERS: Record<number, (state: unknown) => unknown> = {
  // 1 -> 2: panes gained pinned lanes; a version 1 pane has none.
  1: (state) => {
    if (!state || typeof state !== 'object' || !Array.isArray((state as { panes?: unknown }).panes)) return state;
    const panes = (state as { panes: unknown[] }).panes.map((p) =>
      p && typeof p === 'object' ? { ...p, pins: { cpu: [], vcpu: [] } } : p,
    );
    return { ...state, panes };
  },
};

const MAX_RUNS = 16;
/** Pinned lanes kept per list: more than a map shows at once. */
const MAX_PINS = 256;
const MAX_NAME = 512;

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** Times are relative ns held exactly in a double: nothing beyond 2^53 ns (~104 days) is a time of a trace. */
const isTime = (x: unknown): x is number => isFiniteNumber(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER;
/** A file size: a whole number of bytes a file can have. */
const isSize = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function range(x: unknown): [number, number] | null {
  if (!Array.isArray(x) || x.length !== 2 || !isTime(x[0]) || !isTime(x[1]) || !(x[1] > x[0]))
    return null;
  return [x[0], x[1]];
}

/** A list of pinned lane ids: CPU numbers or thread ids (whole numbers Linux allows), without repeats. */
function pinList(x: unknown): number[] {
  if (!Array.isArray(x)) return [];
  const ids = x.filter((v): v is number => Number.isSafeInteger(v) && v >= 0 && v < 2 ** 22);
  return [...new Set(ids)].slice(0, MAX_PINS);
}

/** One pane's state from untrusted JSON (a fragment, a report's view block): what does not fit is dropped. */
export function pane(x: unknown): PaneUrlState {
  const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
  return {
    view: range(o.view),
    lane: o.lane === 'vcpu' ? 'vcpu' : 'cpu',
    vm: typeof o.vm === 'string' && o.vm.length <= MAX_NAME ? o.vm : null,
    sel: range(o.sel),
    pins: {
      cpu: pinList((o.pins as { cpu?: unknown } | undefined)?.cpu),
      vcpu: pinList((o.pins as { vcpu?: unknown } | undefined)?.vcpu),
    },
  };
}

/** Keep what fits the current shape; drop the rest. */
export function validateState(x: unknown): UrlState {
  const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
  const runs = Array.isArray(o.runs)
    ? o.runs
        .slice(0, MAX_RUNS)
        .filter(
          (r): r is { name: string; size: number } =>
            !!r &&
            typeof r === 'object' &&
            typeof (r as { name?: unknown }).name === 'string' &&
            (r as { name: string }).name.length <= MAX_NAME &&
            isSize((r as { size?: unknown }).size),
        )
        .map((r) => ({ name: r.name, size: r.size }))
    : [];
  const panes = Array.isArray(o.panes) ? o.panes.slice(0, MAX_RUNS).map(pane) : [];
  return { runs, panes };
}

export function encodeUrlState(state: UrlState): string {
  return `#v=${URL_STATE_VERSION}&s=${encodeURIComponent(JSON.stringify(state))}`;
}

export type DecodeResult = { state: UrlState; note: string | null } | null;

/**
 * Read a fragment: null when it carries no state; otherwise the state upgraded
 * to the current version and validated, with a note when something was dropped.
 */
export function decodeUrlState(hash: string): DecodeResult {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const s = params.get('s');
  if (s === null) return null;
  const version = Number(params.get('v') ?? '1');
  if (!Number.isInteger(version) || version < 1)
    return { state: { runs: [], panes: [] }, note: `link state version "${params.get('v')}" is not valid; ignored` };
  if (version > URL_STATE_VERSION)
    return {
      state: { runs: [], panes: [] },
      note: `this link was made by a newer SchedMap (state version ${version}); its view was not restored`,
    };
  let raw: unknown;
  try {
    raw = JSON.parse(s);
  } catch {
    return { state: { runs: [], panes: [] }, note: 'the view in this link is not readable; ignored' };
  }
  for (let v = version; v < URL_STATE_VERSION; v++) raw = UPGRADERS[v](raw);
  const state = validateState(raw);
  const dropped = JSON.stringify(state) !== JSON.stringify(raw);
  return { state, note: dropped ? 'parts of the view in this link did not fit and were ignored' : null };
}

/** Whether the open runs are the ones a link was made with (same names and sizes, same order). */
export function sameRuns(a: UrlState['runs'], b: UrlState['runs']): boolean {
  return a.length === b.length && a.every((r, i) => r.name === b[i].name && r.size === b[i].size);
}
