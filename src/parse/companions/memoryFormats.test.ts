// The NUMA memory companions (numastat -p / -m, numa_maps, node meminfo), read through the streaming driver
// (sniffing included) from public multi-node samples and from what this 1-node machine printed
// (test/fixtures/companions/numa, origins in TRACES.md).

import { describe, expect, it } from 'vitest';
import { fixtureBytes, fixtureText, truth } from '../../../test/fixtures';
import { assembleRuns } from '../../model/runs';
import { sumMb, type NodeMb } from '../../model/numaMemory';
import { droppedInputOf } from '../droppedInput';
import { bytesSource, parseInput, parseTrace, textSource } from '../parseInput';

const DIR = 'companions/numa';

async function memory(file: string) {
  const r = await parseInput(bytesSource(fixtureBytes(`${DIR}/${file}`)));
  if (r.kind !== 'companion' || r.companion.kind !== 'numa-memory') throw new Error(`${file} not read as memory`);
  return r.companion;
}

const mb = (byNode: readonly NodeMb[]): string => byNode.map((n) => `${n.node}:${+n.mb.toFixed(2)}`).join(' ');

describe('numastat -p', () => {
  it('one process on 2 nodes: the Total row per node, Huge apart', async () => {
    const c = await memory('hbm-readme-numastat-p-2node.txt');
    expect(c.memory.format).toBe('numastat');
    expect(c.warnings).toEqual([]);
    expect(c.memory.processes).toHaveLength(1);
    const p = c.memory.processes[0];
    expect([p.pid, p.comm]).toEqual([6295, 'ddr_dotproduct']);
    expect(mb(p.byNode)).toBe('0:0.52 1:0.06');
    expect(mb(p.hugeByNode ?? [])).toBe('0:0 1:0');
  });

  it('one process on 4 nodes, memory bound to node 3', async () => {
    const p = (await memory('numa-bench-readme-numastat-p-4node.txt')).memory.processes[0];
    expect(p.pid).toBe(17959);
    expect(mb(p.byNode)).toBe('0:0.51 1:0 2:0 3:2065.35');
  });

  it('numastat -c qemu (compact multi-process table, names cut, a prompt line, the Total row left out)', async () => {
    const c = await memory('kvm-2020-01-numastat-c-qemu.txt');
    expect(c.memory.processes.map((p) => [p.pid, p.comm, mb(p.byNode)])).toEqual([
      [24463, 'qemu_hotr', '0:6 1:6'],
      [24479, 'qemu_tls_', '0:0 1:8'],
      [70718, 'qemu-syst', '0:58 1:539'],
    ]);
    expect(c.memory.processes[0].hugeByNode).toBeNull();
    expect(c.warnings).toEqual([{ line: 1, message: '1 shell prompt line ($ or # …) skipped' }]);
  });

  it('numastat -c -p on 3 nodes', async () => {
    const c = await memory('damon-2024-numastat-c-p-3node.txt');
    expect(c.memory.processes.map((p) => [p.pid, p.comm, mb(p.byNode)])).toEqual([
      [701, 'hot_cold', '0:501 1:0 2:601'],
    ]);
  });

  it("this machine's tables: the processes add up to numastat's own Total row", async () => {
    const wide = await memory('host-1node-numastat-p-bash.txt');
    expect(wide.warnings).toEqual([]);
    expect(wide.memory.processes).toHaveLength(13);
    // numastat rounds each row to 0.01 MB: 13 rows may drift from the printed Total by 0.065 at most.
    expect(Math.abs(wide.memory.processes.reduce((s, p) => s + sumMb(p.byNode), 0) - 46.35)).toBeLessThan(0.065);
    const compact = await memory('host-1node-numastat-cp-bash.txt');
    expect(compact.memory.processes).toHaveLength(13);
    expect(compact.memory.processes[0]).toMatchObject({ pid: 1141, comm: 'bash', byNode: [{ node: 0, mb: 4 }] });
  });

  it('several snapshots of a process: the last one stands, and the file says how many it replaced', async () => {
    const one = fixtureText(`${DIR}/hbm-readme-numastat-p-2node.txt`);
    const later = one.replace('0.52            0.06            0.58', '0.62            0.06            0.68');
    const r = await parseInput(textSource(`${one}\n${later}`));
    if (r.kind !== 'companion' || r.companion.kind !== 'numa-memory') throw new Error('not memory');
    expect(r.companion.memory.replaced).toBe(1);
    expect(mb(r.companion.memory.processes[0].byNode)).toBe('0:0.62 1:0.06');
  });

  it('numastat -m and -p in one file (`numastat -m -p qemu`): the node table and the processes', async () => {
    const both = `${fixtureText(`${DIR}/insights-rhel78-numastat-m-2node.txt`)}\n${fixtureText(`${DIR}/kvm-2020-01-numastat-c-qemu.txt`)}`;
    const r = await parseInput(textSource(both));
    if (r.kind !== 'companion' || r.companion.kind !== 'numa-memory') throw new Error('not memory');
    expect(r.companion.memory.nodes.map((n) => n.totalMb)).toEqual([95257.24, 96732.4]);
    expect(r.companion.memory.processes.map((p) => p.pid)).toEqual([24463, 24479, 70718]);
    expect(r.companion.memory.replaced).toBe(0);
  });

  it('bad rows are warned with their line, the rest kept', async () => {
    const text = [
      'Per-node process memory usage (in MBs)',
      'PID                        Node 0          Node 1           Total',
      '----------------  --------------- --------------- ---------------',
      '101 (qemu-system-x86)      10.00            5.00           15.00',
      '102 (qemu-system-x86)      ten              5.00           15.00',
      '103 (qemu-system-x86)       1.00',
      'Found no processes containing pattern: "kvm"',
    ].join('\n');
    const r = await parseInput(textSource(text));
    if (r.kind !== 'companion' || r.companion.kind !== 'numa-memory') throw new Error('not memory');
    expect(r.companion.memory.processes.map((p) => p.pid)).toEqual([101]);
    expect(r.companion.warnings).toEqual([
      { line: 5, message: 'line skipped: "ten" is not a number of MB' },
      { line: 6, message: 'line skipped: expected a name and 3 numbers' },
      { line: 7, message: 'Found no processes containing pattern: "kvm"' },
    ]);
  });
});

describe('numastat -m and node meminfo (the node table)', () => {
  it('numastat -m of a 2-node RHEL 7.8 host: total, free, used and huge pages per node, in MB', async () => {
    const c = await memory('insights-rhel78-numastat-m-2node.txt');
    expect(c.warnings).toEqual([]);
    expect(
      c.memory.nodes.map((n) => [n.node, n.totalMb, n.freeMb, n.usedMb, n.hugeTotal, n.hugeFree, n.hugeUnit]),
    ).toEqual([
      [0, 95257.24, 28190.93, 67066.31, 56320, 52224, 'MB'],
      [1, 96732.4, 31256.51, 65475.89, 56320, 52224, 'MB'],
    ]);
  });

  it("numastat -m with its stderr lines in the file (a 2-node host, and this machine's)", async () => {
    const c = await memory('kperf-notes-numastat-m-2node.txt');
    expect(c.memory.nodes.map((n) => n.totalMb)).toEqual([63560.43, 64503.32]);
    expect(c.warnings.map((w) => w.message)).toEqual([
      '6 "Token … not in hash table." lines (numastat\'s stderr) skipped',
      '1 shell prompt line ($ or # …) skipped',
    ]);
    const own = await memory('host-1node-numastat-m.txt');
    expect(own.memory.nodes.map((n) => [n.node, n.totalMb, n.freeMb])).toEqual([[0, 10713.73, 8863.42]]);
  });

  it('node*/meminfo of a 2-node host: kB to MB, huge pages as a page count', async () => {
    const c = await memory('whitebox-node-meminfo-2node.txt');
    expect(c.memory.format).toBe('node-meminfo');
    expect(c.warnings).toEqual([]);
    expect(c.memory.nodes.map((n) => [n.node, n.totalMb, n.hugeTotal, n.hugeFree, n.hugeUnit])).toEqual([
      [0, 7971444 / 1024, 4000, 3000, 'pages'],
      [1, 8063876 / 1024, 2000, 1000, 'pages'],
    ]);
  });

  it("this machine's node meminfo gives the MemTotal numastat -m printed in the same second", async () => {
    const meminfo = await memory('host-1node-node-meminfo.txt');
    const numastat = await memory('host-1node-numastat-m.txt');
    expect(+(meminfo.memory.nodes[0].totalMb ?? 0).toFixed(2)).toBe(numastat.memory.nodes[0].totalMb);
  });

  it('a wrapped MemUsed counter (LKML 2006) is flagged and left unknown, not shown', async () => {
    const c = await memory('lkml-2006-node-meminfo-ppc.txt');
    expect(c.memory.nodes).toHaveLength(1);
    expect(c.memory.nodes[0]).toMatchObject({ node: 1, totalMb: 320, usedMb: null });
    expect(c.warnings.map((w) => w.message)).toEqual([
      "node 1: MemFree is larger than MemTotal (the kernel's counters are off)",
      'node 1: MemUsed is larger than MemTotal (a counter that went below zero): used left unknown',
    ]);
  });
});

describe('/proc/PID/numa_maps', () => {
  it("this machine's numa_maps of a process sums to what numastat -p printed for it", async () => {
    const maps = await memory('host-1node-numa_maps-sleep.txt');
    expect(maps.memory.format).toBe('numa-maps');
    expect(maps.warnings).toEqual([]);
    const numastat = await memory('host-1node-numastat-p-pid.txt');
    expect(maps.memory.processes[0].pid).toBeNull();
    expect(Math.abs(sumMb(maps.memory.processes[0].byNode) - sumMb(numastat.memory.processes[0].byNode))).toBeLessThan(
      0.01,
    );
  });

  it('two numa_maps behind "# pid N" lines: one process each, as numastat -p saw them', async () => {
    const maps = await memory('host-1node-numa_maps-2pid.txt');
    const numastat = await memory('host-1node-numastat-p-2pid.txt');
    expect(maps.memory.processes.map((p) => p.pid)).toEqual([1141, 3928]);
    maps.memory.processes.forEach((p, i) => {
      expect(Math.abs(sumMb(p.byNode) - sumMb(numastat.memory.processes[i].byNode))).toBeLessThan(0.02);
    });
  });

  it('2 nodes with 2 MB huge pages and an elided "..." line', async () => {
    const c = await memory('kperf-notes-numa_maps-2node-huge.txt');
    const p = c.memory.processes[0];
    // Node 0: 932 base pages of 4 kB and 9 huge pages of 2 MB; node 1: 451 base pages.
    expect(p.byNode).toEqual([
      { node: 0, mb: (932 * 4 + 9 * 2048) / 1024 },
      { node: 1, mb: (451 * 4) / 1024 },
    ]);
    expect(p.hugeByNode).toEqual([{ node: 0, mb: 18 }]);
    expect(c.warnings).toEqual([
      { line: 15, message: '1 line that is no numa_maps mapping or "# pid N" line skipped' },
    ]);
  });

  it("a QEMU guest's 1 GB huge pages", async () => {
    const p = (await memory('contrail-numa_maps-qemu-1g-huge.txt')).memory.processes[0];
    expect(p.hugeByNode).toEqual([{ node: 0, mb: 4096 }]);
  });

  it('4 nodes, no kernelpagesize_kB (before Linux 3.19): 4 kB pages, said so', async () => {
    const c = await memory('slides-numa_maps-4node.txt');
    // Pages: node 0 178+1+3+3+10, node 1 6, node 2 4+2+3+270, node 3 4+267.
    expect(c.memory.processes[0].byNode.map((n) => n.mb * 256)).toEqual([195, 6, 279, 271]);
    expect(c.warnings).toEqual([
      {
        line: 1,
        message: '5 mappings give no kernelpagesize_kB (Linux before 3.19): read as 4 kB pages, 2 MB for huge ones',
      },
    ]);
  });
});

describe('memory matched to VMs', () => {
  const T = truth('qemu-nodebug-3vm');
  const table = [
    'Per-node process memory usage (in MBs)',
    'PID                        Node 0          Node 1           Total',
    '----------------  --------------- --------------- ---------------',
    `${T.vms[0].pid} (qemu-system-x86)    1000.00           24.00         1024.00`,
    `${T.vms[2].pid} (qemu-kvm)             10.00         2038.00         2048.00`,
    '99999 (qemu-system-x86)      1.00            1.00            2.00',
  ].join('\n');

  async function runWith(trace: string) {
    const model = await parseTrace(bytesSource(fixtureBytes(trace)));
    const numastat = await parseInput(textSource(table));
    return assembleRuns([{ name: trace, kind: 'trace', model }, droppedInputOf('qemu.numastat', numastat)])[0];
  }

  it('by process id (the tgid of the trace): VMs without data and processes of no VM are said', async () => {
    const run = await runWith('qemu-nodebug-3vm.script-pidtid.txt');
    const byPid = new Map(run.vms.map((v, i) => [v.tgid, run.memory?.vms[i] ?? null]));
    expect(byPid.get(T.vms[0].pid)?.byNode).toEqual([
      { node: 0, mb: 1000 },
      { node: 1, mb: 24 },
    ]);
    expect(byPid.get(T.vms[2].pid)?.comm).toBe('qemu-kvm');
    expect(byPid.get(T.vms[1].pid)).toBeNull();
    const vm1 = run.vms.find((v) => v.tgid === T.vms[1].pid)?.name;
    expect(run.memory?.notes).toEqual([
      `no memory data for ${vm1} (pid ${T.vms[1].pid})`,
      'memory of pid 99999 (qemu-system-x86) belongs to no VM of this trace',
    ]);
    expect(run.companions).toContain('qemu.numastat');
  });

  it('a trace without tgids: nothing is matched, and the note says what to drop', async () => {
    // VMs by thread names, no process ids in `perf script`'s default fields.
    const run = await runWith('qemu-tcg-2vm-x2vcpu.script.txt');
    expect(run.vms).toHaveLength(2);
    expect(run.memory?.vms).toEqual([null, null]);
    expect(run.memory?.notes[0]).toMatch(/^the trace gives no process ids \(tgids\).*ps -eLo pid,tid,comm/);
  });
});
