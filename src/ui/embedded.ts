// Traces embedded in the page by `schedmap report` (inert
// <script type="application/x-schedmap-trace"> blocks, gzipped and base64):
// read at start so a report opens straight into its runs.

import { base64Bytes } from './samples';
import { pane, type PaneUrlState } from './urlState';

/** Whether the page is a report (it carries traces): cheap, nothing decoded. */
export function hasEmbeddedTraces(doc: Document = document): boolean {
  return doc.querySelector('script[type="application/x-schedmap-trace"]') !== null;
}

export function embeddedTraceFiles(doc: Document = document): File[] {
  const blocks = doc.querySelectorAll<HTMLScriptElement>('script[type="application/x-schedmap-trace"]');
  return Array.from(blocks, (b) => {
    // A label given to the report names the run; else the trace's file name.
    const name = b.dataset.label || b.dataset.name || 'trace.txt';
    return new File([base64Bytes((b.textContent ?? '').trim()) as Uint8Array<ArrayBuffer>], name);
  });
}

/**
 * The view a report opens in (`schedmap report --range A:B --lanes vcpu`): an inert JSON block
 * `{"range": [a, b] | null, "lanes": "cpu" | "vcpu"}` (ns from the trace start), read as a link's pane state:
 * the window and the analysed range are the range. Null without a block or when it is not readable.
 */
export function embeddedView(doc: Document = document): PaneUrlState | null {
  const block = doc.querySelector<HTMLScriptElement>('script[type="application/x-schedmap-view"]');
  if (!block) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(block.textContent ?? '');
  } catch {
    return null;
  }
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return pane({ view: o.range, sel: o.range, lane: o.lanes, vm: null });
}
