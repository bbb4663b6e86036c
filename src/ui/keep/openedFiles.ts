// The files the user opened this session, by name (the newest of a name wins):
// what the kept set is written from once the worker says which runs they made.
// Sample files are told apart: the app has them anyway, so they are not kept.

const byName = new Map<string, File>();
const samples = new WeakSet<File>();

export function rememberOpened(files: readonly File[]): void {
  for (const f of files) byName.set(f.name, f);
}

export function markSample(files: readonly File[]): void {
  for (const f of files) samples.add(f);
}

export function openedFile(name: string): File | undefined {
  return byName.get(name);
}

export function isSample(f: File): boolean {
  return samples.has(f);
}
