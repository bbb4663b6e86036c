// A big file-mode perf.data made at test time from a real small one (no perf
// needed): its header, attrs and feature sections as perf wrote them, its data
// section once as recorded, then its samples and FINISHED_ROUND records again
// and again, each copy's timestamps moved past the one before (so the rounds
// stay in time order, as perf writes them). The feature table's offsets are
// moved by the growth of the data section.

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

const SAMPLE = 9;
const FINISHED_ROUND = 68;
const TIME = 1 << 2;
const IDENTIFIER = 1 << 16;

/** Where a sample's TIME is from the record's start: its 8-byte header, then IDENTIFIER, IP?, TID?, TIME. */
function timeOffset(sampleType: number): number {
  if ((sampleType & TIME) === 0 || (sampleType & IDENTIFIER) === 0)
    throw new Error(`sample_type 0x${sampleType.toString(16)}: the generator needs IDENTIFIER and TIME`);
  return 16 + (sampleType & 1 ? 8 : 0) + (sampleType & 2 ? 8 : 0);
}

/** Writes `out` with `copies` extra copies of `src`'s samples; returns the file's size and its sample count. */
export function writeBigPerfData(src: string, out: string, copies: number): { bytes: number; samples: number } {
  const b = readFileSync(src);
  if (b.toString('latin1', 0, 8) !== 'PERFILE2' || b.readBigUInt64LE(8) !== 104n)
    throw new Error(`${src}: not a little-endian file-mode perf.data`);
  const num = (at: number): number => Number(b.readBigUInt64LE(at));
  const attrSize = num(16);
  const [attrsAt, attrsLen] = [num(24), num(32)];
  const [dataAt, dataLen] = [num(40), num(48)];
  const featAt = dataAt + dataLen;
  const offsets = new Set<number>();
  for (let p = attrsAt; p < attrsAt + attrsLen; p += attrSize) offsets.add(timeOffset(num(p + 24)));
  if (offsets.size !== 1) throw new Error(`${src}: its events' samples place TIME differently`);
  const tOff = [...offsets][0];

  // The samples and rounds of the data section, and the time span they cover.
  const keep: Buffer[] = [];
  let first = Infinity;
  let last = 0;
  let samples = 0;
  for (let p = dataAt; p < featAt; ) {
    const type = b.readUInt32LE(p);
    const size = b.readUInt16LE(p + 6);
    if (size === 0) throw new Error(`${src}: a record of size 0 at byte ${p}`);
    if (type === SAMPLE) {
      const t = num(p + tOff);
      first = Math.min(first, t);
      last = Math.max(last, t);
      samples++;
    }
    if (type === SAMPLE || type === FINISHED_ROUND) keep.push(b.subarray(p, p + size));
    p += size;
  }
  const rounds = Buffer.concat(keep);
  const span = last - first + 1_000_000;

  const fd = openSync(out, 'w');
  const grown = rounds.length * copies;
  const head = Buffer.from(b.subarray(0, dataAt));
  head.writeBigUInt64LE(BigInt(dataLen + grown), 48);
  writeSync(fd, head);
  writeSync(fd, b, dataAt, dataLen);
  const copy = Buffer.from(rounds);
  for (let k = 1; k <= copies; k++) {
    for (let p = 0; p < copy.length; ) {
      const size = copy.readUInt16LE(p + 6);
      if (copy.readUInt32LE(p) === SAMPLE)
        copy.writeBigUInt64LE(BigInt(rounds.readBigUInt64LE(p + tOff)) + BigInt(span * k), p + tOff);
      p += size;
    }
    writeSync(fd, copy);
  }
  // The feature table (16 bytes per feature bit set) and the sections it points to, after the grown data.
  const feat = Buffer.from(b.subarray(featAt));
  let bits = 0;
  for (let w = 0; w < 8; w++) {
    let v = b.readUInt32LE(72 + 4 * w);
    while (v !== 0) {
      v &= v - 1;
      bits++;
    }
  }
  for (let i = 0; i < bits; i++) feat.writeBigUInt64LE(feat.readBigUInt64LE(16 * i) + BigInt(grown), 16 * i);
  writeSync(fd, feat);
  closeSync(fd);
  return { bytes: b.length + grown, samples: samples * (copies + 1) };
}
