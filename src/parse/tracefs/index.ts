// The tracefs event-format module: what perf.data and trace.dat readers share.
// See README.md beside this file for what to call.

export { parseEventFormat, parseFieldLine, fieldOf, FormatError, type EventFormat, type FieldFormat } from './format';
export { FieldReader, recordOf, readUint, readInt, readBig, readCString, nulEnd, type RecordRef } from './fields';
export { compilePrintFormat, type PrintFormat } from './printFormat';
export { EventReader } from './eventReader';
export { EventTable } from './eventTable';
export { readTracingData, parseCmdlines, TracingDataError, TRACING_MAGIC, type TracingData } from './tracingData';
export {
  SchedModelWriter,
  compileTracepoint,
  TracepointKind,
  type ModelTracepoint,
  type SchedModelOptions,
} from './schedModel';
export { encodeRecord, encodeTracingData, writeInt, type TracingDataInput } from './recordWriter';
