// Sending a run to the analysis worker a column at a time. The map keeps the
// page's model, so the worker gets a copy: the run's skeleton (everything but
// its typed-array columns: names, VM groups, comms; structured-cloned) first,
// then each column, copied in steps of a few ms (runSliced) and posted with its
// buffer transferred as soon as it is complete. So copying a 1 GB trace's run
// (~250 MB of columns) never stalls the page, and the page never holds more
// than one column's copy (posting a whole copy at once held all of them).

import { sliced, type SliceOptions } from '../sliced';

type Column = Uint8Array;

export interface RunColumns<T> {
  /** The value with every typed-array column replaced by null. */
  skeleton: T;
  /** The columns and where they go (property names from the value down). */
  columns: { path: string[]; src: Column }[];
}

/** Elements copied per step of streamColumns (a few ms of memcpy, page faults included). */
export const COPY_STEP = 1 << 19;

/** Split a value (a run) into its skeleton and its typed-array columns (at most 6 levels down). */
export function splitColumns<T>(value: T): RunColumns<T> {
  const columns: { path: string[]; src: Column }[] = [];
  const visit = (v: unknown, path: string[]): unknown => {
    if (v === null || typeof v !== 'object' || path.length > 6) return v;
    if (ArrayBuffer.isView(v)) {
      if (v instanceof DataView || !(v.buffer instanceof ArrayBuffer)) return v;
      columns.push({ path, src: v as unknown as Column });
      return null;
    }
    // Arrays (names, comms, VM groups) are cloned by postMessage as they are.
    if (Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = visit(x, [...path, k]);
    return out;
  };
  return { skeleton: visit(value, []) as T, columns };
}

/** Put a column back into a skeleton (the worker's side of splitColumns). */
export function placeColumn(skeleton: unknown, path: readonly string[], data: ArrayBufferView): void {
  let at = skeleton as Record<string, unknown>;
  for (let i = 0; i < path.length - 1; i++) at = at[path[i]] as Record<string, unknown>;
  at[path[path.length - 1]] = data;
}

/**
 * Copy each column a slice at a time and hand each complete copy to `post` (which transfers its buffer).
 * Resolves true when every column was posted, false when `signal` aborted it first.
 */
export function streamColumns(
  columns: RunColumns<unknown>['columns'],
  post: (path: string[], data: Column) => void,
  signal?: AbortSignal,
  opts?: SliceOptions & { step?: number },
): Promise<boolean> {
  const stepLen = opts?.step ?? COPY_STEP;
  const now = opts?.now ?? (() => performance.now());
  let j = 0;
  let at = 0;
  let dst: Column | null = null;
  return sliced(
    (deadline) => {
      while (j < columns.length) {
        const { path, src } = columns[j];
        dst ??= new (src.constructor as new (n: number) => Column)(src.length);
        const end = Math.min(src.length, at + stepLen);
        dst.set(src.subarray(at, end), at);
        at = end;
        if (at >= src.length) {
          post(path, dst);
          dst = null;
          j++;
          at = 0;
        }
        if (now() >= deadline) break;
      }
      return j < columns.length;
    },
    signal,
    { ...opts, now },
  );
}
