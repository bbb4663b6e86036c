/// <reference types="vitest/config" />
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

// Two builds:
//   vite build               dist/: a static site that works under any sub-path (relative base)
//   vite build --mode single dist-single/schedmap.html: one file, JS, CSS, the Worker and the
//                            built-in samples inlined (a page opened from file:// cannot fetch)

/**
 * The app makes no network request of its own: a Content-Security-Policy in the
 * built page forbids any connection, image, font or frame from elsewhere.
 * (Not in `vite dev`, whose hot reload needs inline scripts and a websocket.)
 */
function contentSecurityPolicy(single: boolean): Plugin {
  const policy = [
    "default-src 'none'",
    // The one-file build has its module script inline.
    single ? "script-src 'unsafe-inline' blob:" : "script-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "worker-src 'self' blob: data:",
    // Samples are fetched from the page's own folder in dist/; nothing else, ever.
    single ? "connect-src 'none'" : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "object-src 'none'",
  ].join('; ');
  return {
    name: 'schedmap-csp',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`),
  };
}

/**
 * `virtual:schedmap-samples`: in the one-file build, the sample traces inlined
 * as base64 (with their index); elsewhere null, and the app fetches them.
 */
function inlineSamples(single: boolean): Plugin {
  const id = 'virtual:schedmap-samples';
  return {
    name: 'schedmap-inline-samples',
    resolveId: (source) => (source === id ? '\0' + id : null),
    load(resolved) {
      if (resolved !== '\0' + id) return null;
      if (!single) return 'export default null;';
      const dir = join(__dirname, 'public', 'samples');
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string }[];
      const files = Object.fromEntries(
        readdirSync(dir)
          .filter((f) => index.some((s) => s.file === f))
          .map((f) => [f, readFileSync(join(dir, f)).toString('base64')]),
      );
      return `export default ${JSON.stringify({ index, files })};`;
    },
  };
}

/** The one-file build has no favicon.svg beside it: inline it as a data URL. */
function inlineFavicon(single: boolean): Plugin {
  return {
    name: 'schedmap-inline-favicon',
    apply: 'build',
    transformIndexHtml: (html) => {
      if (!single) return html;
      const svg = readFileSync(join(__dirname, 'public', 'favicon.svg')).toString('base64');
      return html.replace('href="./favicon.svg"', `href="data:image/svg+xml;base64,${svg}"`);
    },
  };
}

export default defineConfig(({ mode }) => {
  const single = mode === 'single';
  return {
    base: './',
    plugins: [react(), contentSecurityPolicy(single), inlineSamples(single), inlineFavicon(single), ...(single ? [viteSingleFile()] : [])],
    define: { 'import.meta.env.SCHEDMAP_SINGLE': JSON.stringify(single) },
    // The one-file build has no public/ folder beside it: the samples are inlined instead.
    publicDir: single ? false : 'public',
    // A classic (IIFE) worker: a module worker from a blob URL does not start in a page opened from file://.
    worker: { format: 'iife' },
    build: single
      ? { outDir: 'dist-single', emptyOutDir: true, assetsInlineLimit: Number.MAX_SAFE_INTEGER, chunkSizeWarningLimit: 4096 }
      : { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
    server: { port: 5173, strictPort: false },
    preview: { port: 4173 },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60000,
      pool: 'threads',
    },
  };
});
