// Values grouped by key (vCPU entry) for the quantiles, written straight into
// their group's place during the switch pass. Each key's room is an upper
// bound counted beforehand (e.g. its switch-ins), so nothing grows or is
// scattered afterwards; closing the gaps left by unused room is one
// copyWithin per key. On 10M switches this touches 80 MB instead of the
// 200 MB of (key, value) pairs plus a counting-sort scatter, and first writes
// to fresh pages were a third of the pass's time.

/**
 * Values grouped by vCPU entry in one buffer: entry k's values are
 * values[offset[k] .. offset[k + 1]). A VM's vCPU entries are consecutive, so
 * its values are one range too.
 */
export interface Grouped {
  values: Float64Array;
  offset: Int32Array;
}

export class GroupedBuffer {
  private readonly values: Float64Array;
  /** Where key k's room starts, and its next free slot. */
  private readonly start: Int32Array;
  private readonly fill: Int32Array;

  /** room[k]: at most how many values key k receives. */
  constructor(room: ArrayLike<number>) {
    const keys = room.length;
    this.start = new Int32Array(keys + 1);
    for (let k = 0; k < keys; k++) this.start[k + 1] = this.start[k] + room[k];
    this.fill = this.start.slice(0, keys);
    this.values = new Float64Array(this.start[keys]);
  }

  /** Appends a value to key k (in push order within a key). Throws past the key's room. */
  push(k: number, value: number): void {
    const at = this.fill[k]++;
    if (at >= this.start[k + 1]) throw new RangeError(`GroupedBuffer: key ${k} is over its room`);
    this.values[at] = value;
  }

  /** The values grouped by key, gaps closed (the buffer is not to be pushed to afterwards). */
  group(): Grouped {
    const keys = this.fill.length;
    const offset = new Int32Array(keys + 1);
    let to = 0;
    for (let k = 0; k < keys; k++) {
      const from = this.start[k];
      const count = this.fill[k] - from;
      if (to !== from) this.values.copyWithin(to, from, from + count);
      offset[k] = to;
      to += count;
    }
    offset[keys] = to;
    return { values: this.values.subarray(0, to), offset };
  }
}
