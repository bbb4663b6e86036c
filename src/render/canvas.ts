// The part of CanvasRenderingContext2D (and OffscreenCanvasRenderingContext2D)
// the renderer uses, so tests and the Node benchmark can pass a small fake.

export interface ImageDataLike {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

export interface Ctx2D {
  readonly canvas: { width: number; height: number };
  fillStyle: string | CanvasGradient | CanvasPattern;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  globalAlpha: number;
  createImageData(width: number, height: number): ImageDataLike;
  putImageData(image: ImageDataLike, dx: number, dy: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  closePath(): void;
  fill(): void;
  save(): void;
  restore(): void;
  setLineDash(segments: number[]): void;
}

const images = new WeakMap<object, ImageDataLike>();

/** An ImageData the size of the context's canvas, kept per context so frames do not allocate. */
export function frameImage(ctx: Ctx2D): ImageDataLike {
  const { width, height } = ctx.canvas;
  let img = images.get(ctx);
  if (!img || img.width !== width || img.height !== height) {
    img = ctx.createImageData(width, height);
    images.set(ctx, img);
  }
  return img;
}

/** The ImageData's pixels as packed RGBA (see colors.packRgba). */
export function pixelsOf(img: ImageDataLike): Uint32Array {
  return new Uint32Array(img.data.buffer, img.data.byteOffset, img.width * img.height);
}
