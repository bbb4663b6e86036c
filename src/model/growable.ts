// Append-only typed-array columns that double their capacity, so the builder
// never holds one JS object per event.
//
// One class per element type, on purpose: a single generic class sees every
// typed-array type at its `buf[i] = v` store, and V8 then compiles that store
// (and push) as a polymorphic access that is neither inlined nor specialised.
// With one class per type each push is a monomorphic store the optimiser
// inlines into the caller. The classes differ only in their buffer type.

export class F64Column {
  private buf: Float64Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Float64Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.buf.length) this.buf = grown(this.buf, new Float64Array(this.buf.length * 2));
    this.buf[this.length++] = value;
  }

  get(i: number): number {
    return this.buf[i];
  }

  set(i: number, value: number): void {
    this.buf[i] = value;
  }

  /** A copy trimmed to length: the builder's buffer is released afterwards. */
  finish(): Float64Array {
    return this.buf.slice(0, this.length);
  }
}

export class I32Column {
  private buf: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Int32Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.buf.length) this.buf = grown(this.buf, new Int32Array(this.buf.length * 2));
    this.buf[this.length++] = value;
  }

  get(i: number): number {
    return this.buf[i];
  }

  set(i: number, value: number): void {
    this.buf[i] = value;
  }

  finish(): Int32Array {
    return this.buf.slice(0, this.length);
  }
}

export class U16Column {
  private buf: Uint16Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint16Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.buf.length) this.buf = grown(this.buf, new Uint16Array(this.buf.length * 2));
    this.buf[this.length++] = value;
  }

  get(i: number): number {
    return this.buf[i];
  }

  finish(): Uint16Array {
    return this.buf.slice(0, this.length);
  }
}

export class U8Column {
  private buf: Uint8Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.buf.length) this.buf = grown(this.buf, new Uint8Array(this.buf.length * 2));
    this.buf[this.length++] = value;
  }

  get(i: number): number {
    return this.buf[i];
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Copy `from` into the start of `to` (twice its size) and return `to`. Off the hot path. */
function grown<T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
