/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
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
 * The one-file build's scripts are inline: they are allowed by their SHA-256
 * hashes, computed once the bundle is inlined, never by 'unsafe-inline', so a
 * script or handler injected into the page would still be refused.
 */
export function cspPolicy(scriptSources: string): string {
  return [
    "default-src 'none'",
    `script-src ${scriptSources}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "worker-src 'self' blob: data:",
    // Samples are fetched from the page's own folder in dist/; nothing else, ever.
    scriptSources.includes("'self'") ? "connect-src 'self'" : "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The static site's policy; hosts that take headers get it (plus frame-ancestors, which a meta tag cannot carry). */
const SITE_POLICY = cspPolicy("'self' blob:");
export const SITE_HEADERS = { 'Content-Security-Policy': `${SITE_POLICY}; frame-ancestors 'none'` };

/** Stands in script-src until the inlined scripts' hashes are known (a hash-shaped word, so the single-file plugin sees a policy that allows inline code). */
const PENDING = "'sha256-pending'";

/** Executable inline scripts (no src, a JavaScript type): what script-src hashes must cover. */
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;

export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    const attrs = m[1];
    if (/\ssrc\s*=/i.test(attrs)) continue;
    const type = /\stype\s*=\s*"([^"]*)"/i.exec(attrs)?.[1].toLowerCase();
    if (type !== undefined && type !== 'module' && type !== 'text/javascript' && type !== 'application/javascript') continue;
    out.push(`'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  return out;
}

function contentSecurityPolicy(single: boolean): Plugin[] {
  const meta = (policy: string) => `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
  const inject: Plugin = {
    name: 'schedmap-csp',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    ${meta(single ? cspPolicy(`${PENDING} blob:`) : SITE_POLICY)}`),
  };
  if (!single) {
    // The same policy as a header, for hosts that read Netlify/Cloudflare Pages `_headers` files.
    const headers: Plugin = {
      name: 'schedmap-csp-headers',
      apply: 'build',
      generateBundle() {
        const lines = Object.entries(SITE_HEADERS).map(([k, v]) => `  ${k}: ${v}`);
        this.emitFile({ type: 'asset', fileName: '_headers', source: `/*\n${lines.join('\n')}\n` });
      },
    };
    return [inject, headers];
  }
  // After vite-plugin-singlefile has inlined the scripts (both run in generateBundle's post order; this one later).
  const hashes: Plugin = {
    name: 'schedmap-csp-hashes',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const asset of Object.values(bundle)) {
          if (asset.type !== 'asset' || !asset.fileName.endsWith('.html')) continue;
          const html = String(asset.source);
          const found = inlineScriptHashes(html);
          if (found.length === 0) this.error('the one-file build has no inline script to hash');
          asset.source = html.replace(PENDING, found.join(' '));
        }
      },
    },
  };
  return [inject, hashes];
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
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string; with?: string }[];
      const files = Object.fromEntries(
        readdirSync(dir)
          .filter((f) => index.some((s) => s.file === f || s.with === f))
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
    plugins: [
      react(),
      ...contentSecurityPolicy(single).slice(0, 1),
      inlineSamples(single),
      inlineFavicon(single),
      ...(single ? [viteSingleFile()] : []),
      // After the single-file plugin: the hashes are of the scripts it inlined.
      ...contentSecurityPolicy(single).slice(1),
    ],
    define: { 'import.meta.env.SCHEDMAP_SINGLE': JSON.stringify(single) },
    // The one-file build has no public/ folder beside it: the samples are inlined instead.
    publicDir: single ? false : 'public',
    // A classic (IIFE) worker: a module worker from a blob URL does not start in a page opened from file://.
    worker: { format: 'iife' },
    build: single
      ? { outDir: 'dist-single', emptyOutDir: true, assetsInlineLimit: Number.MAX_SAFE_INTEGER, chunkSizeWarningLimit: 4096 }
      : { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
    server: { port: 5173, strictPort: false },
    // `vite preview` sends the static site's policy as a header too.
    preview: { port: 4173, headers: SITE_HEADERS },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60000,
      pool: 'threads',
    },
  };
});
