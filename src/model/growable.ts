// Append-only typed-array columns, so the builder never holds one JS object
// per event.
//
// Rows go into fixed-size blocks that are joined once, by finish(). Growing one
// buffer by doubling would copy every row again at each doubling, and each of
// its large short-lived buffers triggers a GC for external memory (measured:
// a fifth of the parse time of a 50 MB timehist went there).
//
// One class per element type, on purpose: a single generic class sees every
// typed-array type at its `block[i] = v` store, and V8 then compiles that store
// (and push) as a polymorphic access that is neither inlined nor specialised.
// With one class per type each push is a monomorphic store the optimiser
// inlines into the caller. The classes differ only in their array type.

/** Rows per block: a power of two, so row i is block i >> BLOCK_SHIFT, slot i & BLOCK_MASK. */
const BLOCK_SHIFT = 12;
export const BLOCK_ROWS = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK_ROWS - 1;

type TypedArray = Float64Array | Int32Array | Uint16Array | Uint8Array;

export class F64Column {
  private readonly blocks: Float64Array[] = [];
  private block = new Float64Array(0);
  length = 0;

  push(value: number): void {
    const slot = this.length & BLOCK_MASK;
    if (slot === 0) this.blocks.push((this.block = new Float64Array(BLOCK_ROWS)));
    this.block[slot] = value;
    this.length++;
  }

  get(i: number): number {
    return this.blocks[i >> BLOCK_SHIFT][i & BLOCK_MASK];
  }

  set(i: number, value: number): void {
    this.blocks[i >> BLOCK_SHIFT][i & BLOCK_MASK] = value;
  }

  /** The smallest row, Infinity for none. */
  min(): number {
    let m = Infinity;
    for (let i = 0; i < this.length; i++) if (this.get(i) < m) m = this.get(i);
    return m;
  }

  /** Subtract `by` from every row. */
  subtract(by: number): void {
    for (let i = 0; i < this.length; i++) this.set(i, this.get(i) - by);
  }

  /** The rows in one array of their own: the blocks are released afterwards. */
  finish(): Float64Array {
    return joinBlocks(this.blocks, new Float64Array(this.length));
  }
}

export class I32Column {
  private readonly blocks: Int32Array[] = [];
  private block = new Int32Array(0);
  length = 0;

  push(value: number): void {
    const slot = this.length & BLOCK_MASK;
    if (slot === 0) this.blocks.push((this.block = new Int32Array(BLOCK_ROWS)));
    this.block[slot] = value;
    this.length++;
  }

  get(i: number): number {
    return this.blocks[i >> BLOCK_SHIFT][i & BLOCK_MASK];
  }

  set(i: number, value: number): void {
    this.blocks[i >> BLOCK_SHIFT][i & BLOCK_MASK] = value;
  }

  finish(): Int32Array {
    return joinBlocks(this.blocks, new Int32Array(this.length));
  }
}

export class U16Column {
  private readonly blocks: Uint16Array[] = [];
  private block = new Uint16Array(0);
  length = 0;

  push(value: number): void {
    const slot = this.length & BLOCK_MASK;
    if (slot === 0) this.blocks.push((this.block = new Uint16Array(BLOCK_ROWS)));
    this.block[slot] = value;
    this.length++;
  }

  get(i: number): number {
    return this.blocks[i >> BLOCK_SHIFT][i & BLOCK_MASK];
  }

  finish(): Uint16Array {
    return joinBlocks(this.blocks, new Uint16Array(this.length));
  }
}

export class U8Column {
  private readonly blocks: Uint8Array[] = [];
  private block = new Uint8Array(0);
  length = 0;

  push(value: number): void {
    const slot = this.length & BLOCK_MASK;
    if (slot === 0) this.blocks.push((this.block = new Uint8Array(BLOCK_ROWS)));
    this.block[slot] = value;
    this.length++;
  }

  get(i: number): number {
    return this.blocks[i >> BLOCK_SHIFT][i & BLOCK_MASK];
  }

  finish(): Uint8Array {
    return joinBlocks(this.blocks, new Uint8Array(this.length));
  }
}

/** Copy full blocks (and the filled part of the last) into `out`, sized to the row count. Off the hot path. */
export function joinBlocks<T extends TypedArray>(blocks: readonly T[], out: T): T {
  let o = 0;
  for (const block of blocks) {
    const n = Math.min(block.length, out.length - o);
    out.set(block.subarray(0, n) as never, o);
    o += n;
  }
  return out;
}
