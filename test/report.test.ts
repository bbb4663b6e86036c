// `schedmap report`'s writer: inputs streamed through gzip and base64 into the
// page, labels given to traces only.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { reportInputs, reportView } from '../src/cli/reportCommand';
import { Base64Encoder, writeReport } from '../src/cli/reportWriter';
import { fixturePath } from './fixtures';

const tmp = () => mkdtempSync(join(tmpdir(), 'schedmap-report-test-'));

/** The data blocks of a written report, decoded: name, label and the bytes embedded. */
function blocks(html: string): { name: string; label: string | null; bytes: Buffer }[] {
  const re =
    /<script type="application\/x-schedmap-trace" data-name="([^"]*)"(?: data-label="([^"]*)")?>([^<]*)<\/script>/g;
  return [...html.matchAll(re)].map((m) => ({ name: m[1], label: m[2] ?? null, bytes: Buffer.from(m[3], 'base64') }));
}

describe('Base64Encoder', () => {
  it('gives the base64 of the whole stream whatever the chunk sizes', async () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 255));
    for (const sizes of [[1], [2], [3], [5, 1, 7], [999, 1]]) {
      const enc = new Base64Encoder();
      const parts: string[] = [];
      enc.on('data', (s: Buffer) => parts.push(s.toString()));
      const done = new Promise((r) => enc.on('end', r));
      for (let i = 0, k = 0; i < data.length; k++) {
        const n = sizes[k % sizes.length];
        enc.write(data.subarray(i, i + n));
        i += n;
      }
      enc.end();
      await done;
      expect(parts.join('')).toBe(data.toString('base64'));
    }
  });
});

describe('writeReport', () => {
  it('embeds each input gzipped (an input that is gzip already as it is) before </body>', async () => {
    const dir = tmp();
    const plain = fixturePath('synth-4vm-x2vcpu-spin.map.txt');
    const gz = join(dir, 'two.txt.gz');
    const gzBytes = gzipSync(Buffer.from('already gzipped\n'));
    writeFileSync(gz, gzBytes);
    const out = join(dir, 'r.html');
    const app = '<html><body><div id="root"></div></body></html>';
    const n = await writeReport(
      app,
      [
        { path: plain, name: 'a <b>.txt', label: 'PLE "on"' },
        { path: gz, name: 'two.txt.gz', label: null },
      ],
      out,
    );
    const html = readFileSync(out, 'utf8');
    expect(n).toBe(Buffer.byteLength(html));
    expect(html.startsWith('<html><body><div id="root"></div>')).toBe(true);
    expect(html.endsWith('</body></html>')).toBe(true);
    const b = blocks(html);
    expect(b.map((x) => [x.name, x.label])).toEqual([
      ['a &lt;b&gt;.txt', 'PLE &quot;on&quot;'],
      ['two.txt.gz', null],
    ]);
    expect(gunzipSync(b[0].bytes).equals(readFileSync(plain))).toBe(true);
    expect(b[1].bytes.equals(gzBytes)).toBe(true);
  });
});

describe('reportInputs', () => {
  it('gives labels to traces only, in order, skipping a companion between them', async () => {
    const dir = tmp();
    const csv = join(dir, 'vms.csv');
    writeFileSync(csv, 'tid,vm,vcpu\n100,a,0\n101,a,1\n');
    const a = fixturePath('synth-4vm-x2vcpu-spin.map.txt');
    const b = fixturePath('synth-4vm-x2vcpu-yield.script.txt');
    const inputs = await reportInputs([a, csv, b], ['A', 'B']);
    expect(inputs.map((i) => i.label)).toEqual(['A', null, 'B']);
    await expect(reportInputs([a, csv], ['A', 'B'])).rejects.toThrow('2 labels for 1 trace');
  });
});

describe('the view a report opens in', () => {
  it('--range and --lanes become one inert JSON block; bad values are refused', async () => {
    const view = reportView(
      new Map<string, string | true>([
        ['--range', '0.5:1.25'],
        ['--lanes', 'vcpu'],
      ]),
    );
    expect(view).toEqual({ range: [500_000_000, 1_250_000_000], lanes: 'vcpu' });
    expect(reportView(new Map([['--lanes', 'vcpu']]))).toEqual({ range: null, lanes: 'vcpu' });
    expect(reportView(new Map())).toBeNull();
    expect(() => reportView(new Map([['--lanes', 'vm']]))).toThrow(/--lanes takes cpu or vcpu, not "vm"/);
    expect(() => reportView(new Map([['--range', '2:1']]))).toThrow(/--range takes A:B seconds/);
    const out = join(tmp(), 'r.html');
    const input = { path: fixturePath('synth-4vm-x2vcpu-spin.map.txt'), name: 'a.txt', label: null };
    await writeReport('<html><body></body></html>', [input], out, view);
    const m = /<script type="application\/x-schedmap-view">([^<]*)<\/script>/.exec(readFileSync(out, 'utf8'));
    expect(JSON.parse(m![1])).toEqual(view);
  });
});
