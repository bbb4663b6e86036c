// Events of all CPUs in time order, as `trace-cmd report` prints them: the
// earliest next event first, ties to the lower CPU, each CPU in file order.
// A page flagged with missed events reports them before its first event (a
// flagged page without events passes them on to the CPU's next one).

import type { Bin } from './binary';
import type { CpuPages } from './cpuPages';

export interface EventSink {
  event(cpu: number, time: number, bin: Bin, start: number, length: number): void;
  /** Events the kernel dropped on `cpu` before an event at `time` (count null: not known). */
  lost(cpu: number, time: number, count: number | null): void;
}

/** Advance a CPU to its next page with events (reading batches as needed); false at its end. */
async function nextPage(c: CpuPages): Promise<boolean> {
  for (;;) {
    while (c.nextPage()) {
      const lost = c.events.lost;
      if (lost !== 0)
        c.lostBefore = c.lostBefore === null ? lost : c.lostBefore < 0 || lost < 0 ? -1 : c.lostBefore + lost;
      if (c.events.count > 0) return true;
    }
    if (!(await c.refill())) return false;
  }
}

export async function mergeCpus(
  cpus: readonly CpuPages[],
  sink: EventSink,
  signal?: AbortSignal,
  onBatch?: () => void,
): Promise<void> {
  const heap: CpuPages[] = [];
  for (const c of cpus) if (await nextPage(c)) heap.push(c);
  const less = (a: CpuPages, b: CpuPages): boolean => {
    const ta = a.events.time[a.next];
    const tb = b.events.time[b.next];
    return ta < tb || (ta === tb && a.cpu < b.cpu);
  };
  const down = (i: number): void => {
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const m = r < n && less(heap[r], heap[l]) ? r : l;
      if (!less(heap[m], heap[i])) return;
      [heap[m], heap[i]] = [heap[i], heap[m]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const c = heap[0];
    const ev = c.events;
    // The earliest of the other CPUs: this one's events are taken while they come before it.
    const other = heap.length === 1 ? null : heap.length === 2 || less(heap[1], heap[2]) ? heap[1] : heap[2];
    do {
      const i = c.next;
      if (i === 0 && c.lostBefore !== null) {
        sink.lost(c.cpu, ev.time[0], c.lostBefore > 0 ? c.lostBefore : null);
        c.lostBefore = null;
      }
      c.next = i + 1;
      sink.event(c.cpu, ev.time[i], c.bin, ev.start[i], ev.length[i]);
    } while (c.next < ev.count && (other === null || less(c, other)));
    if (c.next >= ev.count) {
      if (signal?.aborted) return;
      onBatch?.();
      if (!(await nextPage(c))) {
        const last = heap.pop() as CpuPages;
        if (heap.length === 0) break;
        heap[0] = last;
      }
    }
    down(0);
  }
}
