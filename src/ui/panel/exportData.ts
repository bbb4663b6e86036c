// Saving a pane's exports: the CSV and JSON of analysis/metricsExport and the map as PNG. Downloads go
// through an object URL and an <a download> click: nothing leaves the machine.

/** A file name from untrusted text: letters, digits, dot, dash, underscore. */
export function safeFileName(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 120) || 'schedmap'
  );
}

/** Save a blob as a file: object URL + <a download> click (no network). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
