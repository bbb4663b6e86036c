// Which VM (and which vCPU of it) each task of a run belongs to.

import type { TraceModel } from '../model/types';
import type { VmGroup } from '../model/vms';

export interface TaskVms {
  /** VM index (into run.vms) per task: vCPU threads and the VM's other threads; -1 for host tasks. */
  vm: Int32Array;
  /** vCPU index (`CPU k/KVM`) per task, -1 for non-vCPU tasks. */
  vcpuIndex: Int32Array;
  /** Position in vm.vcpus per task (colour ramp position), -1 for non-vCPU tasks. */
  vcpuPosition: Int32Array;
}

export function taskVms(run: { model: Pick<TraceModel, 'tasks'>; vms: VmGroup[] }): TaskVms {
  const n = run.model.tasks.length;
  const vm = new Int32Array(n).fill(-1);
  const vcpuIndex = new Int32Array(n).fill(-1);
  const vcpuPosition = new Int32Array(n).fill(-1);
  run.vms.forEach((g, i) => {
    for (const th of g.otherThreads) if (th.task >= 0 && th.task < n) vm[th.task] = i;
    g.vcpus.forEach((v, pos) => {
      if (v.task < 0 || v.task >= n) return;
      vm[v.task] = i;
      vcpuIndex[v.task] = v.index;
      vcpuPosition[v.task] = pos;
    });
  });
  return { vm, vcpuIndex, vcpuPosition };
}
