// The `schedmap` command as a user runs it: the built bundle, in a child Node.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vmMetricsFor } from '../src/analysis/catalogue';
import { DASH, thousands } from '../src/model/format';
import { cliCell, valueText } from '../src/analysis/metricText';
import { damagedLscpuText, fixturePath, truth } from './fixtures';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/schedmap.mjs', ...args], { encoding: 'utf8' });

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
});

describe('schedmap analyze', () => {
  it('--json prints the contract fields for a real gzipped trace', () => {
    const r = cli('analyze', fixturePath('qemu-tcg-2vm-x2vcpu.script-pidtid.txt'), '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe('perf-script');
    expect(out.switches).toBe(6899);
    expect(out.cpus).toBe(2);
    expect(out.skippedLines).toBe(0);
    expect(Array.isArray(out.warnings)).toBe(true);
    expect(out.durationSec).toBeCloseTo(1422.593157 - 1420.59099, 6);
    const t = truth('qemu-tcg-2vm-x2vcpu');
    expect(out.vms.map((v: { tgid: number }) => v.tgid).sort()).toEqual(t.vms.map((v) => v.pid).sort());
    for (const vm of out.vms) {
      expect(vm.name).toBe(`vm${vm.tgid}`);
      expect(vm.grouping).toBe('tgid');
      expect(vm.ambiguous).toBe(false);
      for (const k of ['comm', 'index', 'tid']) expect(vm.vcpus[0]).toHaveProperty(k);
    }
  });

  it('applies companions told apart by content (timehist of the same recording, CSV)', () => {
    const r = cli(
      'analyze',
      fixturePath('synth-4vm-x2vcpu-spin.map.txt'),
      fixturePath('synth-4vm-x2vcpu-spin.timehist.txt'),
      '--json',
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe('perf-sched-map');
    expect(out.vms.every((v: { grouping: string }) => v.grouping === 'companion')).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'schedmap-cli-'));
    const csv = join(dir, 'vms.csv');
    writeFileSync(csv, 'tid,vm,vcpu\n7427,alpha,0\n7429,alpha,1\n7430,beta,0\n7431,beta,1\n');
    const r2 = cli('analyze', fixturePath('synth-4vm-x2vcpu-spin.map.txt'), csv, '--json');
    const out2 = JSON.parse(r2.stdout);
    // The CSV wins for the threads it lists; the other vCPU threads are grouped by name.
    type Vm = { name: string; grouping: string; vcpus: { tid: number; index: number }[] };
    const vms = out2.vms as Vm[];
    expect(vms.slice(0, 2).map((v) => [v.name, v.grouping, v.vcpus.map((c) => `${c.index}:${c.tid}`)])).toEqual([
      ['alpha', 'vm-map', ['0:7427', '1:7429']],
      ['beta', 'vm-map', ['0:7430', '1:7431']],
    ]);
    expect(vms.slice(2).every((v) => v.grouping === 'name')).toBe(true);
    expect(
      vms
        .slice(2)
        .flatMap((v) => v.vcpus.map((c) => c.tid))
        .sort(),
    ).toEqual([7426, 7428, 7432, 7433]);
  });

  it('prints a readable summary without --json', () => {
    const r = cli('analyze', fixturePath('ftrace-qemu-3vm-x2vcpu.ftrace.txt'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/switches on 2 CPUs/);
    expect(r.stdout).toMatch(/grouped by tgid/);
  });

  it('warningSummary: one entry per kind, with the lost events and the metrics it can bias, in --json and the text', () => {
    const file = fixturePath('tracecmd-lost-4vm-x2vcpu.report-t.txt');
    const out = JSON.parse(cli('analyze', file, '--json').stdout);
    const lost = out.warningSummary.find((e: { kind: string }) => e.kind === 'lost-events');
    expect(lost).toMatchObject({ kind: 'lost-events', count: 2, events: 262 + 923 });
    expect(lost.firstLines).toEqual(
      out.lostEvents.map((l: { line: number }) => l.line).sort((a: number, b: number) => a - b),
    );
    expect(lost.biases).toEqual(expect.arrayContaining(['cpuShare', 'runSliceMedianUs']));
    expect(lost.means).toMatch(/dropped events/);
    const text = cli('analyze', file).stdout;
    expect(text).toContain(
      `    lost-events: 2 (1,185 events lost), first at lines ${lost.firstLines.join(', ')}; can bias slice p50, slice p90`,
    );
  });

  it('several traces are several runs', () => {
    const r = cli(
      'analyze',
      fixturePath('synth-4vm-x2vcpu-spin-pin-shared.script.txt'),
      fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script.txt'),
      '--json',
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).runs).toHaveLength(2);
  });

  it('two runs: the comparison the app shows (rows, noise, verdicts, summary), as JSON and as a table', () => {
    const files = [
      fixturePath('synth-4vm-x2vcpu-spin-pin-shared.script.txt'),
      fixturePath('synth-4vm-x2vcpu-spin-pin-spread.script.txt'),
    ];
    const out = JSON.parse(cli('analyze', ...files, '--json').stdout);
    type Row = {
      vm: string;
      metric: string;
      values: (number | null)[];
      standardErrors: (number | null)[];
      diffs: ({ abs: number; noise: number | null; verdict: string } | null)[];
    };
    const rows: Row[] = out.comparison.rows;
    const sib = rows.filter((x) => x.metric === 'siblingHandoffsPerSec');
    expect(sib).toHaveLength(4);
    sib.forEach((x, i) => {
      // The rows' values are the runs' own numbers.
      expect(x.values).toEqual([out.runs[0].vms[i].siblingHandoffsPerSec, out.runs[1].vms[i].siblingHandoffsPerSec]);
      // pin-spread never hands a CPU to a sibling; the drop is far beyond either run's noise.
      expect(x.values[1]).toBe(0);
      const d = x.diffs[1]!;
      expect(d.noise).toBe(2 * Math.max(...x.standardErrors.filter((e): e is number => e !== null)));
      expect(Math.abs(d.abs)).toBeGreaterThan(d.noise!);
      expect(d.verdict).toBe('better');
    });
    // Every mark is beyond its noise bound, every "same" within it.
    for (const x of rows)
      for (const d of x.diffs.slice(1)) {
        if (d && (d.verdict === 'better' || d.verdict === 'worse')) expect(Math.abs(d.abs)).toBeGreaterThan(d.noise!);
        if (d && d.verdict === 'same') expect(Math.abs(d.abs)).toBeLessThanOrEqual(d.noise!);
      }
    // No wakeups or kvm exits in these traces: no run-delay or PLE rows.
    expect(rows.some((x) => x.metric === 'pleExitsPerSec' || x.metric === 'runDelayP50Us')).toBe(false);
    expect(out.comparison.summary).toMatch(
      /^synth-4vm-x2vcpu-spin-pin-spread\.script\.txt(\.gz)? against synth-4vm-x2vcpu-spin-pin-shared\.script\.txt(\.gz)? \(0\.000–2\.\d{3} s against 0\.000–2\.\d{3} s\): co-scheduling better in all 4 VMs/,
    );
    const text = cli('analyze', ...files).stdout;
    expect(text).toContain('comparison (run 1 is the reference):');
    expect(text).toMatch(/sibling handoffs\/s\s+[\d.]+\s+0\s+−[\d.]+\s+−100%\s+better/);
    expect(text).toContain(out.comparison.summary);
  });

  it('a paste of two timehists one after another: two runs, compared, and stderr says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedmap-cli-'));
    const paste = join(dir, 'two-timehists.txt');
    const a = readFileSync(fixturePath('synth-4vm-x2vcpu-spin.timehist.txt'), 'utf8').split('\n').slice(0, 203);
    const b = readFileSync(fixturePath('synth-4vm-x2vcpu-yield.timehist.txt'), 'utf8').split('\n').slice(0, 203);
    writeFileSync(paste, [...a, ...b].join('\n') + '\n');
    const r = cli('analyze', paste, '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `schedmap: ${paste} holds 2 perf sched timehists one after another: each is a run of its own (two-timehists.txt #1, two-timehists.txt #2), compared as separate files would be\n`,
    );
    const out = JSON.parse(r.stdout);
    expect(out.runs.map((x: { file: string; switches: number }) => x.file)).toEqual([
      'two-timehists.txt #1',
      'two-timehists.txt #2',
    ]);
    expect(out.runs.every((x: { switches: number }) => x.switches > 150)).toBe(true);
    expect(out.comparison.rows.length).toBeGreaterThan(0);
  });

  it('exits non-zero with a one-line error for unreadable input', () => {
    const bad = cli('analyze', fixturePath('bad-perf-data-head.perf.data'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/This perf\.data cannot be read: .*cut short/);
    const missing = cli('analyze', '/nonexistent/trace.txt');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it('reads a perf.data itself: the same analysis as of its perf script text', () => {
    const bin = cli('analyze', fixturePath('perf-vmsim-2vm-x2vcpu.z.perf.data'), '--json');
    const text = cli('analyze', fixturePath('perf-vmsim-2vm-x2vcpu.z.script-ns.txt.gz'), '--json');
    expect(bin.status).toBe(0);
    const a = JSON.parse(bin.stdout);
    const b = JSON.parse(text.stdout);
    expect(a.switchesPerSecPerCpu).toBeGreaterThan(0);
    expect(a.perCpu).toEqual(b.perCpu);
    expect(a.vms).toEqual(b.vms);
    expect(b.recordedOn).toBeNull();
  });

  it('shows the host facts of a perf.data and a trace.dat (perf report --header-only, trace-cmd dump --options)', () => {
    // test/fixtures/perf-vmsim-2vm-x2vcpu.z.header.txt: `# hostname : vm`, `# os release : 6.18.44-fc-v1098`, ...
    const json = JSON.parse(cli('analyze', fixturePath('perf-vmsim-2vm-x2vcpu.z.perf.data'), '--json').stdout);
    expect(json.recordedOn).toEqual({
      hostname: 'vm',
      osRelease: '6.18.44-fc-v1098',
      arch: 'x86_64',
      cpusOnline: 2,
      cpusAvailable: 2,
      cmdline: '/usr/bin/perf sched record -a -z -o sched-z.perf.data -- sleep 0.15',
      recorder: 'perf 6.1.187',
    });
    const text = cli('analyze', fixturePath('perf-vmsim-2vm-x2vcpu.z.perf.data')).stdout.split('\n');
    expect(text.slice(0, 3)).toEqual([
      'perf-vmsim-2vm-x2vcpu.z.perf.data: perf.data (zstd)',
      '  recorded on: vm, 6.18.44-fc-v1098, x86_64, 2 CPUs, perf 6.1.187',
      '  recorded by: /usr/bin/perf sched record -a -z -o sched-z.perf.data -- sleep 0.15',
    ]);
    // tracecmd-arm64-qemu-2cpu.v7-zstd.options.txt: UNAME `Linux (none) 6.1.0-57-arm64 aarch64`, VERSION 3.1.6.
    const dat = cli('analyze', fixturePath('tracecmd-arm64-qemu-2cpu.v7-zstd.dat')).stdout.split('\n');
    expect(dat[1]).toBe('  recorded on: (none), 6.1.0-57-arm64, aarch64, trace-cmd 3.1.6');
    expect(dat[2]).not.toMatch(/recorded by/);
  });

  it('--json carries every analysis field, per VM and per vCPU', () => {
    const r = cli('analyze', fixturePath('synth-4vm-x2vcpu-yield-pin-shared.script-pidtid.txt'), '--json');
    const out = JSON.parse(r.stdout);
    expect(out.switchesPerSecPerCpu).toBeGreaterThan(0);
    expect(out.perCpu.map((c: { cpu: number }) => c.cpu)).toEqual([0, 1]);
    for (const k of ['switches', 'switchesPerSec', 'idleFraction']) expect(out.perCpu[0]).toHaveProperty(k);
    const vmFields = [
      'gangScore',
      'allRunningFraction',
      'coRunHistogram',
      'runSliceMedianUs',
      'runSliceP90Us',
      'runSliceP99Us',
      'runSliceMaxUs',
      'switchInsPerSec',
      'siblingHandoffs',
      'cpuShare',
      'hostNoiseShare',
      'vcpuMigrationsPerSec',
      'preemptedVcpusMean',
      'runDelayP50Us',
      'runDelayP99Us',
      'pleExitsPerSec',
      'exitReasons',
    ];
    const vcpuFields = [
      'runSliceMedianUs',
      'switchInsPerSec',
      'runFraction',
      'preemptedFraction',
      'migrationsPerSec',
      'runDelayP99Us',
    ];
    for (const vm of out.vms) {
      for (const k of vmFields) expect(vm, k).toHaveProperty(k);
      // Pinned to one CPU, a VM's two vCPUs never run together: gang score 1/k with k = 2.
      expect(vm.gangScore).toBe(0.5);
      expect(vm.siblingHandoffs).toBeGreaterThan(50);
      expect(vm.pleExitsPerSec).toBeNull(); // no kvm_exit events in this recording
      for (const v of vm.vcpus) for (const k of ['index', 'tid', 'comm', ...vcpuFields]) expect(v, k).toHaveProperty(k);
    }
  });

  it('--range and --cpus restrict the analysis; --series adds time series', () => {
    const f = fixturePath('synth-4vm-x2vcpu-yield-pin-spread.script.txt');
    const all = JSON.parse(cli('analyze', f, '--json').stdout);
    const part = JSON.parse(cli('analyze', f, '--json', '--range', '0.5:1.0', '--cpus', '1').stdout);
    expect(part.window.durationUs).toBe(500000);
    expect(part.window.cpus).toEqual([1]);
    expect(part.perCpu).toHaveLength(1);
    expect(part.vms[0].switchInsPerSec).not.toBe(all.vms[0].switchInsPerSec);
    const s = JSON.parse(cli('analyze', f, '--json', '--series', '100').stdout).series;
    expect(s.binUs).toBe(100000);
    expect(s.vms).toHaveLength(4);
    expect(s.vms[0].meanRunning).toHaveLength(s.binStartsUs.length);
    expect(cli('analyze', f, '--series', 'x').status).toBe(2);
    expect(cli('analyze', f, '--cpus', 'a-b').stderr).toMatch(/--cpus/);
  });

  it('bad options are one line and exit 2, before any work or once the trace is read', () => {
    const f = fixturePath('qemu-tcg-2vm-x2vcpu.script.txt');
    const cases: [string[], RegExp][] = [
      [['--series', '0.0000001'], /--series takes a bin width in ms/],
      [['--series', '0.000001'], /--series: 2002\d+ bins of 1 ns .* more than 10000000; choose wider bins/],
      [['--cpus', '4294967296'], /--cpus: CPU 4294967296 is past Linux's range \(CPU numbers are 0-8191\)/],
      [['--cpus', '1000000000'], /CPU 1000000000 is past Linux's range/],
      [['--cpus', '0-4000000000'], /CPU 4000000000 is past Linux's range/],
      [['--cpus', '5,7'], /--cpus 5,7 names no CPU of qemu-tcg-2vm-x2vcpu\.script\.txt\.gz, which has CPUs 0-1/],
      [['--range', '10:20'], /--range starts at 10 s, past the end of .* \(its last switch is at 2\.00\d+ s\)/],
      [['--range', '1:1e400'], /--range takes A:B seconds/],
      // Its first event (sched_stat_runtime) is 11 µs before its first switch.
      [['--range', '0:0.000005'], /--range ends at 0\.000005 s, before the first switch of .* \(at 0\.000011 s\)/],
      [['--format', 'map'], /unknown option --format/],
      [['--window', '1'], /unknown option --window/],
    ];
    for (const [args, message] of cases) {
      const r = cli('analyze', f, '--json', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    // Checked before any file is read: a missing trace is not even looked at.
    const early = cli('analyze', '/nonexistent/trace.txt', '--cpus', '9000');
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/past Linux's range/);
    // A list naming some CPUs of the trace is fine.
    expect(cli('analyze', f, '--json', '--cpus', '1,5').status).toBe(0);
  });

  it('the readable output has the per-VM table, and per vCPU with --vcpus', () => {
    const r = cli('analyze', fixturePath('synth-4vm-x2vcpu-spin-pin-spread.timehist.txt'), '--vcpus');
    expect(r.stdout).toMatch(/VM\s+vCPUs\s+co-scheduling\s+gang score\s+independent gang\s+all running/);
    expect(r.stdout).toMatch(/vCPU\s+slice p50\s+switch-ins\/s\s+run fraction/);
    expect(r.stdout).toMatch(/0 CPU 0\/KVM:\d+/);
  });

  it("the table's cells are the panel's text of the --json values: one precision everywhere", () => {
    const f = fixturePath('synth-4vm-x2vcpu-yield.script-pidtid.txt.gz');
    const json = JSON.parse(cli('analyze', f, '--json').stdout);
    const lines = cli('analyze', f).stdout.split('\n');
    const head = lines.findIndex((l) => /^ {2}VM\s+vCPUs\s+co-scheduling/.test(l));
    expect(head).toBeGreaterThan(0);
    for (const [k, vm] of json.vms.entries()) {
      const row = lines[head + 1 + k];
      expect(row.trim().startsWith(vm.name)).toBe(true);
      // Every catalogue metric's cell, by the panel's formatter, appears in the row in the catalogue's order.
      let at = row.indexOf(vm.name) + vm.name.length;
      for (const m of vmMetricsFor(false)) {
        const text = cliCell(m.unit, m.value({ vm, topology: vm }));
        const shown = valueText(m.unit, m.value({ vm, topology: vm }));
        expect(text === '-' ? DASH : text).toBe(shown);
        const next = row.indexOf(` ${text}`, at);
        expect(next, `${vm.name} ${m.key} ${text}`).toBeGreaterThanOrEqual(at);
        at = next + text.length + 1;
      }
    }
  });
});

describe('schedmap analyze --topology', () => {
  type TopoVm = {
    name: string;
    nodeSpread: number | null;
    homeNode: number | null;
    homeNodeFraction: number | null;
    crossNodeMigrationsPerSec: number | null;
    smtSiblingCoRunFraction: number | null;
    vcpus: { homeNode: number | null }[];
  };
  type TopoNode = { node: number; cpus: number[]; busyFraction: number | null; vms: { name: string; runUs: number }[] };

  it('--json adds topology, nodes[] and the per-VM fields', () => {
    const shared = fixturePath('synth-4vm-x2vcpu-yield-pin-shared.script-pidtid.txt');
    const topo = fixturePath('host-2cpu-2node.lscpu');
    const r = cli('analyze', shared, '--topology', topo, '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.topology).toEqual({
      source: 'lscpu',
      nodes: 2,
      sockets: 2,
      cores: 2,
      cpus: 2,
      threadsPerCore: 1,
      file: 'host-2cpu-2node.lscpu',
    });
    const nodes = out.nodes as TopoNode[];
    expect(nodes.map((n) => [n.node, n.cpus])).toEqual([
      [0, [0]],
      [1, [1]],
    ]);
    // Node busy fraction = 1 − that CPU's idle fraction (one CPU per node).
    for (const n of nodes) expect(n.busyFraction).toBeCloseTo(1 - out.perCpu[n.node].idleFraction, 12);
    // pin-shared: all threads of a VM on one CPU, so on one node, never crossing; two VMs per node.
    for (const vm of out.vms as TopoVm[]) {
      expect(vm.nodeSpread).toBe(1);
      expect(vm.homeNodeFraction).toBe(1);
      expect(vm.crossNodeMigrationsPerSec).toBe(0);
      expect(vm.smtSiblingCoRunFraction).toBeNull(); // its vCPUs never run at once
      expect(vm.vcpus.every((v) => v.homeNode === vm.homeNode)).toBe(true);
      expect(nodes[vm.homeNode!].vms.map((x) => x.name)).toContain(vm.name);
    }
    expect(nodes.map((n) => n.vms.length)).toEqual([2, 2]);

    // pin-spread: thread k on CPU k % 2, so every VM on both nodes; with one SMT core, co-running is on siblings.
    const spread = fixturePath('synth-4vm-x2vcpu-yield-pin-spread.script-pidtid.txt');
    const s = JSON.parse(cli('analyze', spread, '--topology', topo, '--json').stdout);
    for (const vm of s.vms as TopoVm[]) expect(vm.nodeSpread).toBe(2);
    const smt = JSON.parse(cli('analyze', spread, '--topology', fixturePath('host-2cpu-smt.lscpu'), '--json').stdout);
    for (const vm of smt.vms as TopoVm[]) expect(vm.smtSiblingCoRunFraction).toBe(1);

    // Without --topology none of these fields appear.
    const plain = JSON.parse(cli('analyze', shared, '--json').stdout);
    expect(plain).not.toHaveProperty('nodes');
    expect(plain.vms[0]).not.toHaveProperty('nodeSpread');
  });

  it('numactl -H output works too; the readable output has the topology tables', () => {
    const f = fixturePath('synth-4vm-x2vcpu-yield.script-pidtid.txt');
    const r = cli('analyze', f, '--topology', fixturePath('host-2cpu-2node.numactl'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/topology \(host-2cpu-2node\.numactl, numactl\): 2 nodes, 2 CPUs, no core information/);
    expect(r.stdout).toMatch(/VM\s+home node\s+node spread\s+on home node\s+cross-node migrations\/s\s+SMT co-run/);
    expect(r.stdout).toMatch(/node\s+CPUs\s+busy\s+VMs \(vCPU run ms\)/);
  });

  it('a topology that lacks CPUs of the trace, or a bad one, is one line on stderr and a non-zero exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedmap-topo-'));
    const f = fixturePath('synth-4vm-x2vcpu-yield.script-pidtid.txt');
    const one = join(dir, 'one.lscpu');
    writeFileSync(one, '# CPU,Core,Socket,Node\n0,0,0,0\n');
    const r = cli('analyze', f, '--topology', one, '--json');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /one\.lscpu: the trace has CPU 1 that the topology \(lscpu, CPUs 0\) does not list.*not applied/,
    );

    const bad = join(dir, 'bad.lscpu');
    writeFileSync(bad, '# CPU,Core,Socket,Node\n0,0,0,0\n1,one,0,0\n');
    const b = cli('analyze', f, '--topology', bad);
    expect(b.status).toBe(1);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toMatch(/bad\.lscpu: line 3: core "one" is not a number/);

    // Its preamble cut and a CPU field damaged, it is not sniffed as topology, and still told what is wrong.
    const cut = join(dir, 'cut.lscpu');
    writeFileSync(cut, damagedLscpuText());
    const c = cli('analyze', f, cut);
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/cut\.lscpu: This looks like a host topology file .* line 3: CPU "x" is not a number/);
    expect(c.stderr).not.toMatch(/together with a trace/);

    const notTopo = cli('analyze', f, '--topology', f);
    expect(notTopo.status).toBe(1);
    expect(notTopo.stderr).toMatch(/not a topology file/);
    expect(cli('analyze', f, '--topology', join(dir, 'missing.lscpu')).stderr).toMatch(/no such file/);

    // A topology file among the positionals is told apart by content: the same as --topology…
    const pos = cli('analyze', f, fixturePath('host-2cpu-2node.lscpu'), '--json');
    const flag = cli('analyze', f, '--topology', fixturePath('host-2cpu-2node.lscpu'), '--json');
    expect(pos.status).toBe(0);
    expect(pos.stdout).toBe(flag.stdout);
    // …mismatched, it is refused the same way; alone, there is no trace.
    const posBad = cli('analyze', f, one);
    expect(posBad.status).toBe(1);
    expect(posBad.stderr).toMatch(/one\.lscpu: the trace has CPU 1 .*not applied/);
    const alone = cli('analyze', fixturePath('host-2cpu.lscpu'));
    expect(alone.status).toBe(1);
    expect(alone.stderr).toMatch(/add a trace/);
  });
});

describe('schedmap synth --nodes --smt', () => {
  it('writes FILE.lscpu beside the trace; numa keeps VMs on a node, ple-on spreads them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedmap-synth-'));
    const run = (policy: string) => {
      const out = join(dir, `${policy}.txt`);
      const s = cli(
        'synth',
        '--cpus',
        '8',
        '--vms',
        '2',
        '--vcpus',
        '4',
        '--seconds',
        '0.2',
        '--nodes',
        '2',
        '--smt',
        '--policy',
        policy,
        '--format',
        'script-pidtid',
        '-o',
        out,
      );
      expect(s.status, s.stderr).toBe(0);
      expect(s.stderr).toMatch(new RegExp(`wrote the host's topology \\(lscpu -p\\) to .*${policy}\\.txt\\.lscpu`));
      const lscpu = readFileSync(`${out}.lscpu`, 'utf8');
      expect(lscpu).toMatch(/^# CPU,Core,Socket,Node,,L1d,L1i,L2,L3$/m);
      expect(lscpu).toMatch(/^4,0,0,0,,0,0,0,0$/m); // CPU 4 is core 0's second thread
      const a = cli('analyze', out, '--topology', `${out}.lscpu`, '--json');
      expect(a.status, a.stderr).toBe(0);
      return JSON.parse(a.stdout) as { vms: TopoVmShort[]; topology: { nodes: number; threadsPerCore: number } };
    };
    type TopoVmShort = { nodeSpread: number; homeNodeFraction: number; crossNodeMigrationsPerSec: number };
    const aware = run('numa');
    const free = run('ple-on');
    expect(aware.topology).toMatchObject({ nodes: 2, threadsPerCore: 2 });
    for (let v = 0; v < 2; v++) {
      expect(aware.vms[v].nodeSpread).toBeLessThan(free.vms[v].nodeSpread);
      expect(aware.vms[v].homeNodeFraction).toBeGreaterThan(free.vms[v].homeNodeFraction);
      expect(aware.vms[v].crossNodeMigrationsPerSec).toBeLessThan(free.vms[v].crossNodeMigrationsPerSec);
    }
    // No --nodes / --smt: no lscpu file; a layout that does not fit is refused before writing.
    const plain = join(dir, 'plain.txt');
    expect(cli('synth', '--cpus', '4', '--vms', '1', '--vcpus', '2', '--seconds', '0.05', '-o', plain).status).toBe(0);
    expect(existsSync(`${plain}.lscpu`)).toBe(false);
    const bad = cli('synth', '--cpus', '4', '--nodes', '3', '--smt', '-o', join(dir, 'bad.txt'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--nodes must be between 1 and the number of cores \(2\)/);
    expect(existsSync(join(dir, 'bad.txt'))).toBe(false);
  });
});

describe('schedmap synth --kvm', () => {
  it('writes kvm_exit/kvm_entry lines and FILE.sim.json, whose VMs and PAUSE exits analyze finds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedmap-synth-kvm-'));
    const out = join(dir, 'on.txt');
    const s = cli(
      'synth',
      '--cpus',
      '8',
      '--vms',
      '2',
      '--vcpus',
      '8',
      '--seconds',
      '0.05',
      '--warmup',
      '0.02',
      '--kvm',
      '--format',
      'script-pidtid',
      '-o',
      out,
    );
    expect(s.status, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/wrote what the simulated guests did to .*on\.txt\.sim\.json/);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/ {13}kvm:kvm_exit: vcpu \d+ reason PAUSE_INSTRUCTION rip 0x[0-9a-f]{16} info1 /);
    expect(text).toMatch(/ {12}kvm:kvm_entry: vcpu \d+, rip 0x[0-9a-f]{16} intr_info /);
    const truth = JSON.parse(readFileSync(`${out}.sim.json`, 'utf8')) as {
      options: { policy: string; kvm: boolean };
      parameters: { pleWindow: number; hz: number; sched: { latencyNs: number } };
      vms: { name: string; tgid: number; lockAcquisitions: number; pleExits: number }[];
    };
    expect(truth.options).toMatchObject({ policy: 'ple-on', kvm: true });
    expect(truth.parameters).toMatchObject({ pleWindow: 4096, hz: 1000, cgroups: 'none', sched: { latencyNs: 24e6 } });
    const a = cli('analyze', out, '--json');
    expect(a.status, a.stderr).toBe(0);
    const j = JSON.parse(a.stdout) as { durationSec: number; vms: { name: string; pleExitsPerSec: number }[] };
    expect(truth.vms.map((v) => v.name)).toEqual(j.vms.map((v) => v.name));
    truth.vms.forEach((v, i) => {
      expect(v.lockAcquisitions).toBeGreaterThan(0);
      expect(Math.abs(j.vms[i].pleExitsPerSec * j.durationSec - v.pleExits)).toBeLessThanOrEqual(
        Math.max(3, v.pleExits / 100),
      );
    });
    const bad = cli('synth', '--lock', 'mcs', '-o', join(dir, 'bad.txt'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--lock is one of ticket, tas/);
    const badCandidates = cli('synth', '--yield-candidates', 'holder', '-o', join(dir, 'bad.txt'));
    expect(badCandidates.status).toBe(2);
    expect(badCandidates.stderr).toMatch(/--yield-candidates is one of all, in-lock, lock-chain/);
    const badCgroups = cli('synth', '--cgroups', 'vcpu', '-o', join(dir, 'bad.txt'));
    expect(badCgroups.status).toBe(2);
    expect(badCgroups.stderr).toMatch(/--cgroups is one of none, vm/);
  });
});

describe('schedmap analyze with NUMA memory files', () => {
  it('--json: memoryByNode per VM by pid, localRunFraction against the run time per node, the node table, notes', () => {
    const t = truth('qemu-nodebug-3vm');
    const dir = mkdtempSync(join(tmpdir(), 'schedmap-numa-'));
    const numastat = join(dir, 'qemu.numastat');
    writeFileSync(
      numastat,
      [
        'Per-node process memory usage (in MBs)',
        'PID                        Node 0          Node 1           Total',
        '----------------  --------------- --------------- ---------------',
        `${t.vms[0].pid} (qemu-system-x86)    1000.00           24.00         1024.00`,
        `${t.vms[2].pid} (qemu-kvm)             10.00         2038.00         2048.00`,
      ].join('\n'),
    );
    const r = cli(
      'analyze',
      fixturePath('qemu-nodebug-3vm.script-pidtid.txt'),
      fixturePath('host-2cpu-2node.lscpu'),
      numastat,
      fixturePath('companions/numa/whitebox-node-meminfo-2node.txt'),
      '--json',
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    type Vm = {
      tgid: number;
      memoryByNode: { node: number; mb: number }[] | null;
      cpuTimeByNode: { node: number; runUs: number }[];
      localRunFraction: number | null;
      homeNode: number;
      homeNodeFraction: number;
    };
    const vm0 = out.vms.find((v: Vm) => v.tgid === t.vms[0].pid) as Vm;
    expect(vm0.memoryByNode).toEqual([
      { node: 0, mb: 1000 },
      { node: 1, mb: 24 },
    ]);
    const run = vm0.cpuTimeByNode.reduce((s, n) => s + n.runUs, 0);
    expect(vm0.localRunFraction).toBeCloseTo(
      (vm0.cpuTimeByNode[0].runUs / run) * (1000 / 1024) + (vm0.cpuTimeByNode[1].runUs / run) * (24 / 1024),
      12,
    );
    expect((out.vms as Vm[]).find((v) => v.tgid === t.vms[1].pid)?.memoryByNode).toBeNull();
    expect(out.memory.nodes.map((n: { node: number; hugeTotal: number }) => [n.node, n.hugeTotal])).toEqual([
      [0, 4000],
      [1, 2000],
    ]);
    expect(out.memory.notes).toEqual([expect.stringMatching(/^no memory data for vm\d+ \(pid \d+\)$/)]);
    const text = cli('analyze', fixturePath('qemu-nodebug-3vm.script-pidtid.txt'), numastat).stdout;
    expect(text).toMatch(/memory \(qemu\.numastat\): MB per node/);
    expect(text).toMatch(/memory note: run next to memory needs the host topology/);
  });

  // The other per-process and host-wide formats on the command line, told apart by content: a public 2-node
  // numa_maps (2 MB huge pages) behind a `# pid N` line naming a VM's QEMU, and a public numastat -m.
  it('numa_maps behind "# pid N" and numastat -m, by content: the VM\'s memory and the node table', () => {
    const t = truth('qemu-nodebug-3vm');
    const dir = mkdtempSync(join(tmpdir(), 'schedmap-numa-maps-'));
    const maps = join(dir, 'maps.txt');
    writeFileSync(
      maps,
      `# pid ${t.vms[2].pid}\n${readFileSync(fixturePath('companions/numa/kperf-notes-numa_maps-2node-huge.txt'), 'utf8')}`,
    );
    const out = JSON.parse(
      cli(
        'analyze',
        fixturePath('qemu-nodebug-3vm.script-pidtid.txt'),
        fixturePath('host-2cpu-2node.lscpu'),
        maps,
        fixturePath('companions/numa/insights-rhel78-numastat-m-2node.txt'),
        '--json',
      ).stdout,
    );
    const vm = out.vms.find((v: { tgid: number }) => v.tgid === t.vms[2].pid);
    // 932 base pages of 4 kB and 9 huge pages of 2 MB on node 0, 451 base pages on node 1.
    expect(vm.memoryByNode).toEqual([
      { node: 0, mb: (932 * 4 + 9 * 2048) / 1024 },
      { node: 1, mb: (451 * 4) / 1024 },
    ]);
    expect(vm.memoryHomeNode).toBe(0);
    expect(out.memory.files).toEqual(['maps.txt', 'insights-rhel78-numastat-m-2node.txt']);
    expect(out.memory.nodes.map((n: { node: number; totalMb: number }) => [n.node, n.totalMb])).toEqual([
      [0, 95257.24],
      [1, 96732.4],
    ]);
    // The kperf note elides lines with "...": skipped by its line (16, after the added `# pid` line), said.
    expect(out.memory.notes).toEqual([
      'maps.txt line 16: 1 line that is no numa_maps mapping or "# pid N" line skipped',
      expect.stringMatching(/^no memory data for vm\d+ \(pid \d+\), vm\d+ \(pid \d+\)$/),
    ]);
  });

  // A loop of `numastat -p qemu` (two snapshots of the same processes) and a map, whose VMs get their pids
  // from the timehist of the same recording: the later snapshot is used, and the notes say so.
  it('several snapshots: the last one is used and said; a map matched through its timehist', () => {
    const t = truth('qemu-nodebug-3vm');
    const dir = mkdtempSync(join(tmpdir(), 'schedmap-numa-snap-'));
    const snapshot = (mb: number) =>
      [
        'Per-node process memory usage (in MBs)',
        'PID                        Node 0          Node 1           Total',
        '----------------  --------------- --------------- ---------------',
        ...t.vms.map(
          (v) =>
            `${v.pid} (qemu-system-x86)  ${mb.toFixed(2).padStart(9)}           24.00  ${(mb + 24).toFixed(2).padStart(12)}`,
        ),
      ].join('\n');
    const loop = join(dir, 'loop.numastat');
    writeFileSync(loop, `${snapshot(1000)}\n\n${snapshot(2000)}\n`);
    const map = fixturePath('qemu-nodebug-3vm.map.txt');
    const timehist = fixturePath('qemu-nodebug-3vm.timehist.txt');
    const out = JSON.parse(cli('analyze', map, timehist, loop, '--json').stdout);
    expect(out.memory.notes).toEqual([
      `loop.numastat holds several snapshots: the last one of each process and node is used (${t.vms.length} earlier ones ignored)`,
    ]);
    expect(out.vms).toHaveLength(t.vms.length);
    for (const vm of out.vms)
      expect(vm.memoryByNode).toEqual([
        { node: 0, mb: 2000 },
        { node: 1, mb: 24 },
      ]);
    // Without the timehist the map has no tgids: nothing matched, and the note says what to drop.
    const bare = JSON.parse(cli('analyze', map, loop, '--json').stdout);
    expect(bare.vms.every((v: { memoryByNode: unknown }) => v.memoryByNode === null)).toBe(true);
    // QEMU without thread names and a map without tgids: no VM at all; the VM note says what to drop.
    expect(bare.vms).toEqual([]);
    expect(bare.memory.notes[1]).toBe(
      'no VM was found in this trace (the VM notes say what to drop): the memory files are not used',
    );
    expect(bare.vmNotes.join(' ')).toMatch(/drop with the trace a `perf sched timehist` of the same recording/);
  });
});

describe('schedmap synth --memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schedmap-synth-numa-'));
  const TWO = ['--cpus', '8', '--vms', '4', '--vcpus', '2', '--nodes', '2'];
  const analyze = (policy: string | null, memory: string | null, host = TWO) => {
    const out = join(dir, `${policy ?? 'default'}-${memory ?? 'default'}-${host.join('')}.txt`);
    const args = ['synth', ...host, '--seconds', '0.3'];
    if (policy) args.push('--policy', policy);
    if (memory) args.push('--memory', memory);
    expect(cli(...args, '--format', 'script-pidtid', '-o', out).status).toBe(0);
    const r = JSON.parse(cli('analyze', out, `${out}.lscpu`, `${out}.numastat`, '--json').stdout);
    expect(r.memory.notes).toEqual([]);
    return r.vms.map((v: { localRunFraction: number }) => v.localRunFraction) as number[];
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('home under the numa policy: vCPUs and memory together, localRunFraction 1', () => {
    for (const f of analyze('numa', null)) expect(f).toBeCloseTo(1, 9);
  });

  it('node0 by default (vCPUs anywhere): near 1/N; spread: 1/N exactly', () => {
    expect(Math.abs(mean(analyze(null, null)) - 1 / 2)).toBeLessThan(0.15);
    for (const f of analyze(null, 'spread')) expect(f).toBeCloseTo(1 / 2, 9);
  });

  it('on 4 nodes: home 1, node0 near 1/4, spread 1/4', () => {
    const four = ['--cpus', '16', '--vms', '4', '--vcpus', '4', '--nodes', '4'];
    for (const f of analyze('numa', null, four)) expect(f).toBeCloseTo(1, 9);
    const node0 = analyze(null, null, four);
    expect(Math.abs(mean(node0) - 1 / 4)).toBeLessThan(0.1);
    // Each VM's vCPUs ran on more than its memory's node: none is anywhere near all-local.
    for (const f of node0) expect(f).toBeLessThan(0.6);
    for (const f of analyze(null, 'spread', four)) expect(f).toBeCloseTo(1 / 4, 9);
    // --memory home without the numa policy: memory on v mod 4, vCPUs anywhere: near 1/4 too.
    expect(Math.abs(mean(analyze(null, 'home', four)) - 1 / 4)).toBeLessThan(0.1);
  });
});

describe('the CLI at scale', () => {
  it('--help on every subcommand prints its usage and exits 0', () => {
    for (const [cmd, head] of [
      ['analyze', /^usage: schedmap analyze TRACE/],
      ['synth', /^usage: schedmap synth /],
      ['report', /^usage: schedmap report TRACE/],
    ] as const) {
      for (const flag of ['--help', '-h']) {
        const r = cli(cmd, flag);
        expect(r.status, `${cmd} ${flag}`).toBe(0);
        expect(r.stdout).toMatch(head);
        expect(r.stderr).toBe('');
      }
    }
    expect(cli('report', '--help').stdout).toContain('--lanes');
  });

  it('a map shows n/a for the wakeups, migrations and kvm exits it cannot carry', () => {
    const out = cli('analyze', fixturePath('synth-4vm-x2vcpu-spin.map.txt')).stdout;
    expect(out).toContain('22 tasks switched in, n/a wakeups, n/a migrations, n/a kvm exits');
    expect(out).toContain('n/a: perf sched map carries no wakeup, migrate, kvm events');
    expect(out).toContain('CPUs 0-1 (the whole trace)');
    const json = JSON.parse(cli('analyze', fixturePath('synth-4vm-x2vcpu-spin.map.txt'), '--json').stdout);
    expect(json.windowEvents).toEqual({ switches: 1117, tasks: 22, wakeups: null, migrations: null, kvmExits: null });
  });

  it('80 CPUs as a range, 20 vCPU threads folded, --range and --cpus in the counts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'schedmap-scale-')), 'talk.txt');
    const synth = cli(
      ...['synth', '--cpus', '80', '--vms', '8', '--vcpus', '20', '--seconds', '0.02'],
      ...['--policy', 'throttled-yield', '--format', 'script-pidtid', '-o', file],
    );
    expect(synth.status).toBe(0);
    const json = JSON.parse(cli('analyze', file, '--json').stdout);
    const whole = cli('analyze', file).stdout;
    expect(whole).toContain('CPUs 0-79 (the whole trace)');
    for (const vm of json.vms) {
      const t = vm.vcpus.map((v: { tid: number }) => v.tid);
      expect(whole).toContain(`grouped by tgid: CPU 0-19/KVM:${t[0]}-${t[19]}\n`);
    }
    // The window's counts are those of the events in it: against --json of the same window.
    const ranged = JSON.parse(cli('analyze', file, '--json', '--range', '0.005:0.01', '--cpus', '0-39').stdout);
    const text = cli('analyze', file, '--range', '0.005:0.01', '--cpus', '0-39').stdout;
    const w = ranged.windowEvents;
    expect(w.switches).toBe(ranged.perCpu.reduce((n: number, c: { switches: number }) => n + c.switches, 0));
    expect(w.switches).toBeLessThan(json.switches / 2);
    expect(w.wakeups).toBeGreaterThan(0);
    expect(text).toContain(
      `CPUs 0-39: ${thousands(w.switches)} switches, ${thousands(w.tasks)} tasks switched in, ${thousands(w.wakeups)} wakeups, ${thousands(w.migrations)} migrations, 0 kvm exits`,
    );
  });
});

describe('schedmap synth --format perf.data', () => {
  it('writes a perf.data (header patched at the end) that analyze reads as the same run written as script-pidtid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedmap-synth-perfdata-'));
    const args = ['--cpus', '4', '--vms', '2', '--vcpus', '2', '--seconds', '0.05', '--kvm', '--seed', '3'];
    const bin = join(dir, 'run.perf.data');
    const txt = join(dir, 'run.txt');
    const s = cli('synth', ...args, '--format', 'perf.data', '-o', bin);
    expect(s.status, s.stderr).toBe(0);
    expect(s.stderr).not.toMatch(/--kvm: a perf\.data shows switches only/);
    expect(cli('synth', ...args, '--format', 'script-pidtid', '-o', txt).status).toBe(0);
    expect(readFileSync(bin).subarray(0, 8).toString('latin1')).toBe('PERFILE2');
    const a = JSON.parse(cli('analyze', bin, '--json').stdout);
    const b = JSON.parse(cli('analyze', txt, '--json').stdout);
    expect(a.formatDetail).toBe('perf.data');
    expect(a.recordedOn).toMatchObject({
      hostname: 'schedmap-synth',
      cpusOnline: 4,
      cmdline: `schedmap synth ${args.join(' ')} --format perf.data -o ${bin}`,
    });
    for (const k of ['switches', 'cpus', 'tasks', 'wakeups', 'migrations', 'kvmExits', 'skippedLines'])
      expect([k, a[k]]).toEqual([k, b[k]]);
    expect(a.kvmExits).toBeGreaterThan(0);
    // VMs by tgid, as sim.json names them.
    const sim = JSON.parse(readFileSync(`${bin}.sim.json`, 'utf8'));
    expect(a.vms.map((v: { name: string; grouping: string }) => [v.name, v.grouping])).toEqual(
      sim.vms.map((v: { name: string }) => [v.name, 'tgid']),
    );
  });
});
