// A macrotask of its own: a MessageChannel message, which no timer clamping
// delays (a nested setTimeout(0) waits >= 4 ms). The worker yields to its
// message queue with it while parsing and between jobs (host.ts); the page
// runs each slice of long work in one (ui/sliced.ts).

/** Run `f` in a macrotask of its own; returns a cancel (after it, `f` does not run). */
export function nextTask(f: () => void): () => void {
  if (typeof MessageChannel === 'undefined') {
    const t = setTimeout(f, 0);
    return () => clearTimeout(t);
  }
  const ch = new MessageChannel();
  let live = true;
  ch.port1.onmessage = () => {
    ch.port1.close();
    if (live) f();
  };
  ch.port2.postMessage(null);
  return () => {
    live = false;
    ch.port1.close();
  };
}

/** A promise settled in a macrotask of its own. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => void nextTask(resolve));
}
