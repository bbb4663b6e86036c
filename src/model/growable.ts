// Append-only typed-array columns that double their capacity, so the builder
// never holds one JS object per event.

type TypedArray =
  | Float64Array
  | Int32Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Int8Array;

interface TypedArrayCtor<T extends TypedArray> {
  new (length: number): T;
}

export class Growable<T extends TypedArray> {
  private buf: T;
  length = 0;

  constructor(
    private readonly ctor: TypedArrayCtor<T>,
    initialCapacity = 1024,
  ) {
    this.buf = new ctor(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.length++] = value;
  }

  get(i: number): number {
    return this.buf[i];
  }

  set(i: number, value: number): void {
    this.buf[i] = value;
  }

  private grow(): void {
    const next = new this.ctor(this.buf.length * 2);
    next.set(this.buf as never);
    this.buf = next;
  }

  /** A copy trimmed to length: the builder's buffer is released afterwards. */
  finish(): T {
    return this.buf.slice(0, this.length) as T;
  }
}
