// perf.data's constants (tools/perf/Documentation/perf.data-file-format.txt,
// include/uapi/linux/perf_event.h, tools/perf/util/event.h) and its byte
// reader: the shared Bin throwing PerfDataError.

import { Bin } from '../binary';

export class PerfDataError extends Error {
  override name = 'PerfDataError';
}

export class PerfBin extends Bin {
  protected override error(message: string): Error {
    return new PerfDataError(message);
  }
}

/** Record types (perf_event_header.type): the kernel's, then perf's own (64 and up). */
export const enum RecordType {
  Mmap = 1,
  Lost = 2,
  Comm = 3,
  Exit = 4,
  Fork = 7,
  Sample = 9,
  LostSamples = 13,
  HeaderAttr = 64,
  HeaderEventType = 65,
  HeaderTracingData = 66,
  HeaderBuildId = 67,
  FinishedRound = 68,
  HeaderFeature = 80,
  Compressed = 81,
}

/** perf_event_header.misc bit of a COMM record written by exec(). */
export const MISC_COMM_EXEC = 1 << 13;

/** sample_type bits, in the order their fields appear in a sample. */
export const enum Sample {
  Ip = 1 << 0,
  Tid = 1 << 1,
  Time = 1 << 2,
  Addr = 1 << 3,
  Read = 1 << 4,
  Callchain = 1 << 5,
  Id = 1 << 6,
  Cpu = 1 << 7,
  Period = 1 << 8,
  StreamId = 1 << 9,
  Raw = 1 << 10,
  BranchStack = 1 << 11,
  RegsUser = 1 << 12,
  StackUser = 1 << 13,
  Weight = 1 << 14,
  DataSrc = 1 << 15,
  Identifier = 1 << 16,
  Transaction = 1 << 17,
  RegsIntr = 1 << 18,
  PhysAddr = 1 << 19,
  Aux = 1 << 20,
  Cgroup = 1 << 21,
  DataPageSize = 1 << 22,
  CodePageSize = 1 << 23,
  WeightStruct = 1 << 24,
}

/** The sample_type bits whose fields this reader knows how to walk. */
export const KNOWN_SAMPLE_BITS = (1 << 25) - 1;

/** read_format bits. */
export const enum ReadFormat {
  TotalTimeEnabled = 1 << 0,
  TotalTimeRunning = 1 << 1,
  Id = 1 << 2,
  Group = 1 << 3,
  Lost = 1 << 4,
}

/** Feature bits (adds_features) of the sections after the data. */
export const enum Feature {
  TracingData = 1,
  Hostname = 3,
  OsRelease = 4,
  Version = 5,
  Arch = 6,
  NrCpus = 7,
  CpuDesc = 8,
  Cmdline = 11,
  EventDesc = 12,
  CpuTopology = 13,
  NumaTopology = 14,
}

/** perf_event_attr.type of a tracepoint. */
export const PERF_TYPE_TRACEPOINT = 2;

/** "PERFILE2" as it starts a little-endian file, and as a big-endian one (s390, ppc64) has it. */
export const MAGIC_LE = 'PERFILE2';
export const MAGIC_BE = '2ELIFREP';
