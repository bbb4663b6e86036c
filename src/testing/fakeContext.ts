// A small recording stand-in for CanvasRenderingContext2D, for tests and the
// Node side of the benchmark: ImageData writes land in a real pixel buffer
// (readable with pixel()), every other call is recorded.

import type { Ctx2D, ImageDataLike } from '../render/canvas';

export interface RecordedCall {
  op: string;
  args: number[];
  fillStyle?: string;
  strokeStyle?: string;
}

export class FakeContext2D implements Ctx2D {
  readonly canvas: { width: number; height: number };
  fillStyle: string | CanvasGradient | CanvasPattern = '#000';
  strokeStyle: string | CanvasGradient | CanvasPattern = '#000';
  lineWidth = 1;
  globalAlpha = 1;
  /** The canvas's pixels (RGBA bytes), as putImageData left them. */
  readonly pixels: Uint8ClampedArray;
  readonly calls: RecordedCall[] = [];
  /** Set false to skip recording (benchmarks). */
  record = true;
  private stack: {
    fillStyle: FakeContext2D['fillStyle'];
    strokeStyle: FakeContext2D['strokeStyle'];
    lineWidth: number;
    globalAlpha: number;
  }[] = [];

  constructor(width: number, height: number) {
    this.canvas = { width, height };
    this.pixels = new Uint8ClampedArray(width * height * 4);
  }

  private note(op: string, args: number[], style?: 'fill' | 'stroke'): void {
    if (!this.record) return;
    const c: RecordedCall = { op, args };
    if (style === 'fill') c.fillStyle = String(this.fillStyle);
    if (style === 'stroke') c.strokeStyle = String(this.strokeStyle);
    this.calls.push(c);
  }

  createImageData(width: number, height: number): ImageDataLike {
    return { width, height, data: new Uint8ClampedArray(width * height * 4) };
  }

  putImageData(image: ImageDataLike, dx: number, dy: number): void {
    this.note('putImageData', [dx, dy, image.width, image.height]);
    const W = this.canvas.width;
    const H = this.canvas.height;
    if (dx === 0 && dy === 0 && image.width === W && image.height === H) {
      this.pixels.set(image.data);
      return;
    }
    for (let y = 0; y < image.height; y++) {
      const ty = y + dy;
      if (ty < 0 || ty >= H) continue;
      for (let x = 0; x < image.width; x++) {
        const tx = x + dx;
        if (tx < 0 || tx >= W) continue;
        for (let c = 0; c < 4; c++) this.pixels[(ty * W + tx) * 4 + c] = image.data[(y * image.width + x) * 4 + c];
      }
    }
  }

  /** RGBA bytes at (x, y). */
  pixel(x: number, y: number): [number, number, number, number] {
    const i = (y * this.canvas.width + x) * 4;
    const p = this.pixels;
    return [p[i], p[i + 1], p[i + 2], p[i + 3]];
  }

  clearRect(x: number, y: number, w: number, h: number): void {
    this.note('clearRect', [x, y, w, h]);
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    this.note('fillRect', [x, y, w, h], 'fill');
  }
  strokeRect(x: number, y: number, w: number, h: number): void {
    this.note('strokeRect', [x, y, w, h], 'stroke');
  }
  beginPath(): void {
    this.note('beginPath', []);
  }
  moveTo(x: number, y: number): void {
    this.note('moveTo', [x, y]);
  }
  lineTo(x: number, y: number): void {
    this.note('lineTo', [x, y]);
  }
  stroke(): void {
    this.note('stroke', [], 'stroke');
  }
  closePath(): void {
    this.note('closePath', []);
  }
  fill(): void {
    this.note('fill', [], 'fill');
  }
  setLineDash(segments: number[]): void {
    this.note('setLineDash', segments);
  }
  save(): void {
    this.stack.push({
      fillStyle: this.fillStyle,
      strokeStyle: this.strokeStyle,
      lineWidth: this.lineWidth,
      globalAlpha: this.globalAlpha,
    });
    this.note('save', []);
  }
  restore(): void {
    const s = this.stack.pop();
    if (s) Object.assign(this, s);
    this.note('restore', []);
  }
}
