// Traces embedded in the page by `schedmap report` (inert
// <script type="application/x-schedmap-trace"> blocks, gzipped and base64):
// read at start so a report opens straight into its runs.

import { base64Bytes } from './samples';

export function embeddedTraceFiles(doc: Document = document): File[] {
  const blocks = doc.querySelectorAll<HTMLScriptElement>('script[type="application/x-schedmap-trace"]');
  return Array.from(blocks, (b) => {
    // A label given to the report names the run; else the trace's file name.
    const name = b.dataset.label || b.dataset.name || 'trace.txt';
    return new File([base64Bytes((b.textContent ?? '').trim()) as Uint8Array<ArrayBuffer>], name);
  });
}
