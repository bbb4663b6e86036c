// The recording machine's facts as one line of text, for the CLI summary and
// the app's summary line (the same words in both).

import type { RecordingHost } from '../model/types';

/** "vm, 6.18.44-fc-v1098, x86_64, 2 CPUs, perf 6.1.187" (the facts the file has, in that order); "" for none. */
export function recordingHostText(h: RecordingHost): string {
  const cpus =
    h.cpusOnline === null && h.cpusAvailable === null
      ? null
      : h.cpusOnline === null || h.cpusAvailable === null || h.cpusOnline === h.cpusAvailable
        ? `${h.cpusOnline ?? h.cpusAvailable} CPUs`
        : `${h.cpusOnline} of ${h.cpusAvailable} CPUs online`;
  return [h.hostname, h.osRelease, h.arch, cpus, h.recorder].filter((s) => s !== null && s !== '').join(', ');
}
