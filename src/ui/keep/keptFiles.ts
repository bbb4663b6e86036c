// The files of the open runs kept in this browser's IndexedDB (never the
// network), so a reload reopens them: one database, one object store, the
// whole set replaced in one transaction each time the open runs change.

import { planKeep, type KeepPlan } from './keepPlan';

const DB = 'schedmap-kept-traces';
const STORE = 'files';

/** A kept file: the run it reopens (0 = the first pane) and the file itself. */
export interface KeptFile {
  run: number;
  file: File;
}

interface Row {
  id: number;
  run: number;
  name: string;
  lastModified: number;
  blob: Blob;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB refused to open'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('the write was aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('the write failed'));
  });
}

/** The kept files, by run and in order; none when nothing is kept or storage is unavailable. */
export async function readKept(): Promise<KeptFile[]> {
  const db = await openDb();
  try {
    const rows = await new Promise<Row[]>((resolve, reject) => {
      const req = db.transaction(STORE).objectStore(STORE).getAll();
      req.onsuccess = () => resolve(req.result as Row[]);
      req.onerror = () => reject(req.error ?? new Error('read failed'));
    });
    return rows
      .sort((a, b) => a.id - b.id)
      .map((r) => ({ run: r.run, file: new File([r.blob], r.name, { lastModified: r.lastModified }) }));
  } finally {
    db.close();
  }
}

/** Bytes this origin may still store (what the kept set holds now counts as free: it is replaced). */
async function available(): Promise<number> {
  const est = await navigator.storage?.estimate?.();
  if (!est || est.quota === undefined) return Infinity;
  let held = 0;
  for (const k of await readKept()) held += k.file.size;
  // A margin for IndexedDB's own bookkeeping.
  return Math.max(0, (est.quota - (est.usage ?? 0) + held) * 0.9);
}

/**
 * Replace the kept set with these runs' files, as many whole runs (in order) as the quota allows; what was not
 * kept is in the plan's notKept, with why (a write the browser refuses for its quota counts as such too).
 */
export async function writeKept(runs: readonly File[][]): Promise<KeepPlan<File>> {
  const plan = planKeep(runs, await available());
  const runOf = new Map<File, number>();
  runs.forEach((files, i) => files.forEach((f) => runOf.set(f, i)));
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    store.clear();
    plan.kept.forEach((f, id) =>
      store.put({ id, run: runOf.get(f) ?? 0, name: f.name, lastModified: f.lastModified, blob: f } satisfies Row),
    );
    try {
      await done(tx);
    } catch (e) {
      if ((e as DOMException)?.name !== 'QuotaExceededError') throw e;
      // Nothing was written (the transaction is atomic): nothing is kept.
      return {
        kept: [],
        notKept: plan.kept.map((item) => ({ item, why: 'over the storage quota' })).concat(plan.notKept),
      };
    }
    return plan;
  } finally {
    db.close();
  }
}

/** Forget every kept file. */
export async function forgetKept(): Promise<void> {
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).clear();
    await done(tx);
  } finally {
    db.close();
  }
}
