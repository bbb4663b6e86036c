// The feature sections perf writes after the data (file mode) or as
// HEADER_FEATURE records (pipe mode): the host facts shown beside a trace
// (hostname, OS release, perf version, arch, CPU counts and description,
// the record command line), the events' names, and the host's CPU and NUMA
// topology. A feature that cannot be read is named in `problems` and skipped.

import type { RecordingHost } from '../../model/types';
import { readAttr } from './attr';
import { Feature, PerfBin } from './binary';

export interface PerfDataInfo {
  hostname: string | null;
  osRelease: string | null;
  perfVersion: string | null;
  arch: string | null;
  cpuDesc: string | null;
  nrCpusOnline: number | null;
  nrCpusAvailable: number | null;
  cmdline: string | null;
  /** Event names by sample id (EVENT_DESC). */
  eventNames: Map<number, string>;
  /** Per CPU: core and socket ids (CPU_TOPOLOGY), empty when absent. */
  cpuCore: number[];
  cpuSocket: number[];
  /** NUMA nodes and their CPU lists as perf wrote them (`0-3,8-11`). */
  numaNodes: { node: number; cpus: string }[];
  problems: string[];
}

export function emptyInfo(): PerfDataInfo {
  return {
    hostname: null,
    osRelease: null,
    perfVersion: null,
    arch: null,
    cpuDesc: null,
    nrCpusOnline: null,
    nrCpusAvailable: null,
    cmdline: null,
    eventNames: new Map(),
    cpuCore: [],
    cpuSocket: [],
    numaNodes: [],
    problems: [],
  };
}

/** The host facts the model keeps (what `perf report --header-only` prints of them), null when the file has none. */
export function recordingHostOf(info: PerfDataInfo): RecordingHost | null {
  const host: RecordingHost = {
    hostname: info.hostname,
    osRelease: info.osRelease,
    arch: info.arch,
    cpusOnline: info.nrCpusOnline,
    cpusAvailable: info.nrCpusAvailable,
    cmdline: info.cmdline,
    recorder: info.perfVersion === null ? null : `perf ${info.perfVersion}`,
  };
  return Object.values(host).every((v) => v === null) ? null : host;
}

/** The features that are one string, and the field of the info each fills. */
const STRING_FEATURES: Record<number, 'hostname' | 'osRelease' | 'perfVersion' | 'arch' | 'cpuDesc'> = {
  [Feature.Hostname]: 'hostname',
  [Feature.OsRelease]: 'osRelease',
  [Feature.Version]: 'perfVersion',
  [Feature.Arch]: 'arch',
  [Feature.CpuDesc]: 'cpuDesc',
};

const NAMES: Record<number, string> = {
  [Feature.Hostname]: 'hostname',
  [Feature.OsRelease]: 'os release',
  [Feature.Version]: 'perf version',
  [Feature.Arch]: 'arch',
  [Feature.NrCpus]: 'nrcpus',
  [Feature.CpuDesc]: 'cpudesc',
  [Feature.Cmdline]: 'cmdline',
  [Feature.EventDesc]: 'event_desc',
  [Feature.CpuTopology]: 'cpu topology',
  [Feature.NumaTopology]: 'numa topology',
};

/** Whether a feature bit is one read here (the tracing data is read by the caller). */
export function isReadFeature(bit: number): boolean {
  return bit in NAMES;
}

/** Decode one feature's bytes into `info`. */
export function readFeature(info: PerfDataInfo, bit: number, bytes: Uint8Array): void {
  const bin = new PerfBin(bytes, true);
  let p = 0;
  const str = (): string => {
    bin.need(p, 4, NAMES[bit]);
    const len = bin.u32(p);
    bin.need(p + 4, len, NAMES[bit]);
    let e = p + 4;
    while (e < p + 4 + len && bytes[e] !== 0) e++;
    const s = new TextDecoder().decode(bytes.subarray(p + 4, e));
    p += 4 + len;
    return s;
  };
  const u32 = (): number => {
    bin.need(p, 4, NAMES[bit]);
    const v = bin.u32(p);
    p += 4;
    return v;
  };
  try {
    if (Object.hasOwn(STRING_FEATURES, bit)) {
      info[STRING_FEATURES[bit]] = str();
      return;
    }
    switch (bit) {
      case Feature.NrCpus:
        info.nrCpusAvailable = u32();
        info.nrCpusOnline = u32();
        break;
      case Feature.Cmdline: {
        const n = u32();
        const args: string[] = [];
        for (let i = 0; i < n; i++) args.push(str());
        info.cmdline = args.join(' ');
        break;
      }
      case Feature.EventDesc: {
        const n = u32();
        const attrSize = u32();
        for (let i = 0; i < n; i++) {
          bin.need(p, attrSize, 'event_desc');
          readAttr(bin, p, attrSize);
          p += attrSize;
          const nrIds = u32();
          const name = str();
          bin.need(p, 8 * nrIds, 'event_desc');
          for (let k = 0; k < nrIds; k++) info.eventNames.set(bin.u64(p + 8 * k), name);
          p += 8 * nrIds;
        }
        break;
      }
      case Feature.CpuTopology: {
        for (let lists = 0; lists < 2; lists++) {
          const n = u32();
          for (let i = 0; i < n; i++) str();
        }
        // Per CPU core and socket ids follow (perf 3.x on); nrcpus says how many.
        const cpus = info.nrCpusAvailable ?? 0;
        if (p + 8 * cpus <= bytes.length)
          for (let c = 0; c < cpus; c++) {
            info.cpuCore.push(u32());
            info.cpuSocket.push(u32());
          }
        break;
      }
      case Feature.NumaTopology: {
        const n = u32();
        for (let i = 0; i < n; i++) {
          const node = u32();
          bin.need(p, 16, NAMES[bit]);
          p += 16;
          info.numaNodes.push({ node, cpus: str() });
        }
        break;
      }
    }
  } catch (e) {
    info.problems.push(
      `the ${NAMES[bit] ?? `#${bit}`} feature section is damaged (${e instanceof Error ? e.message : String(e)}): it is skipped`,
    );
  }
}
