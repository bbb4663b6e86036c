// The `schedmap` command as a user runs it: the built bundle, in a child Node.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, truth } from './fixtures';

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

  it('exits non-zero with a one-line error for unreadable input', () => {
    const bad = cli('analyze', fixturePath('bad-perf-data-head.perf.data'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/perf sched map -i perf\.data/);
    const missing = cli('analyze', '/nonexistent/trace.txt');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no such file/);
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

  it('the readable output has the per-VM table, and per vCPU with --vcpus', () => {
    const r = cli('analyze', fixturePath('synth-4vm-x2vcpu-spin-pin-spread.timehist.txt'), '--vcpus');
    expect(r.stdout).toMatch(/VM\s+vCPUs\s+gang\s+all-run/);
    expect(r.stdout).toMatch(/0 CPU 0\/KVM:\d+/);
  });
});
