// `schedmap report TRACE... [--label NAME...] -o report.html`: one self-contained
// HTML file, the one-file app with the traces embedded (gzipped, base64) so it
// opens straight into their map and analysis, with nothing to fetch.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseArgs } from './args';

export const REPORT_USAGE = 'usage: schedmap report TRACE [COMPANION...] [--label NAME]... -o report.html';

/** The one-file app, built by `npm run build:single` (and by `npm install`). */
export function singleFileApp(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const p of [join(here, '..', 'dist-single', 'schedmap.html'), join(process.cwd(), 'dist-single', 'schedmap.html')])
    if (existsSync(p)) return p;
  throw new Error('the one-file app is not built: run `npm run build:single` in the schedmap folder');
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface EmbeddedTrace {
  name: string;
  label: string | null;
  bytes: Uint8Array;
}

/** Insert the traces into the app's HTML as inert data blocks the app reads at start. */
export function embedTraces(html: string, traces: readonly EmbeddedTrace[]): string {
  const blocks = traces
    .map((t) => {
      const gz = t.bytes[0] === 0x1f && t.bytes[1] === 0x8b ? t.bytes : gzipSync(t.bytes, { level: 9 });
      const label = t.label === null ? '' : ` data-label="${escapeAttr(t.label)}"`;
      // Base64 has no '<', so the block cannot end early.
      return `<script type="application/x-schedmap-trace" data-name="${escapeAttr(t.name)}"${label}>${Buffer.from(gz).toString('base64')}</script>`;
    })
    .join('\n');
  const at = html.lastIndexOf('</body>');
  if (at < 0) throw new Error('the one-file app has no </body>');
  return html.slice(0, at) + blocks + '\n' + html.slice(at);
}

export function reportCommand(argv: readonly string[]): number {
  const labels: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--label') {
      if (i + 1 >= argv.length) throw new Error('--label needs a value');
      labels.push(argv[++i]);
    } else rest.push(argv[i]);
  }
  const { positionals, flags } = parseArgs(rest, new Set(['-o', '--output']));
  for (const k of flags.keys()) if (k !== '-o' && k !== '--output') throw new Error(`unknown option ${k}`);
  const out = flags.get('-o') ?? flags.get('--output');
  if (typeof out !== 'string') throw new Error('-o report.html is required');
  if (positionals.length === 0) throw new Error('no trace given');
  const traces = positionals.map((p, i) => ({
    name: basename(p),
    label: labels[i] ?? null,
    bytes: readFileSync(p),
  }));
  const html = embedTraces(readFileSync(singleFileApp(), 'utf8'), traces);
  writeFileSync(out, html);
  const added = traces.reduce((n, t) => n + t.bytes.length, 0);
  process.stderr.write(
    `schedmap: wrote ${out} (${(html.length / 1e6).toFixed(2)} MB, ${traces.length} files, ${(added / 1e6).toFixed(2)} MB of input)\n`,
  );
  return 0;
}
