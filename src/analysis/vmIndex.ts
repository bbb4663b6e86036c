// Task → VM / vCPU lookup tables for the analysis passes (typed arrays indexed
// by model task index, so the hot loops never touch a Map or an object).

import type { Run } from '../model/runs';
import { TaskKind } from '../model/types';

export interface VcpuRef {
  vm: number;
  index: number;
  tid: number;
  comm: string;
  /** Model task index, -1 when the thread never appears in the trace. */
  task: number;
}

export interface VmIndex {
  vmCount: number;
  /** n per VM: its vCPU threads. */
  vcpuCount: Int32Array;
  /** All vCPUs of all VMs, VM by VM in the order of run.vms[].vcpus[]. */
  vcpus: VcpuRef[];
  /** First entry of each VM in `vcpus`. */
  vcpuOffset: Int32Array;
  /** VM of a vCPU thread, -1 for every other task. */
  vmOfTask: Int32Array;
  /** Entry in `vcpus` of a vCPU thread, -1 for every other task. */
  vcpuOfTask: Int32Array;
  /**
   * 1 for tasks that are neither idle nor a thread of any VM (vCPU or other
   * thread): the host's own work, "host noise".
   */
  hostTask: Uint8Array;
  /** 1 for the idle task(s). */
  idleTask: Uint8Array;
}

export function indexVms(run: Run): VmIndex {
  const m = run.model;
  const nt = m.tasks.length;
  const vmOfTask = new Int32Array(nt).fill(-1);
  const vcpuOfTask = new Int32Array(nt).fill(-1);
  const hostTask = new Uint8Array(nt);
  const idleTask = new Uint8Array(nt);
  for (let t = 0; t < nt; t++) {
    const kind = m.tasks.kind[t];
    if (kind === TaskKind.Idle) idleTask[t] = 1;
    else if (kind !== TaskKind.Elided) hostTask[t] = 1; // the time a paste leaves out is no task's
  }
  const vmCount = run.vms.length;
  const vcpuCount = new Int32Array(vmCount);
  const vcpuOffset = new Int32Array(vmCount);
  const vcpus: VcpuRef[] = [];
  run.vms.forEach((vm, v) => {
    vcpuOffset[v] = vcpus.length;
    vcpuCount[v] = vm.vcpus.length;
    for (const c of vm.vcpus) {
      const k = vcpus.length;
      vcpus.push({ vm: v, index: c.index, tid: c.tid, comm: c.comm, task: c.task });
      if (c.task >= 0 && c.task < nt) {
        vmOfTask[c.task] = v;
        vcpuOfTask[c.task] = k;
        hostTask[c.task] = 0;
      }
    }
    for (const o of vm.otherThreads) if (o.task >= 0 && o.task < nt) hostTask[o.task] = 0;
  });
  return { vmCount, vcpuCount, vcpus, vcpuOffset, vmOfTask, vcpuOfTask, hostTask, idleTask };
}
