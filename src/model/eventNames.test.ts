import { describe, expect, it } from 'vitest';
import { EventKind, eventKindOf, eventName, nearMissOf, NUMA_EVENT_NAMES } from './eventNames';
import { NumaEventKind } from './types';

describe('the known events', () => {
  it('name each NUMA balancing kind by its tracepoint', () => {
    expect(NUMA_EVENT_NAMES[NumaEventKind.Move]).toBe('sched_move_numa');
    expect(NUMA_EVENT_NAMES[NumaEventKind.Stick]).toBe('sched_stick_numa');
    expect(NUMA_EVENT_NAMES[NumaEventKind.Swap]).toBe('sched_swap_numa');
    expect(NUMA_EVENT_NAMES[NumaEventKind.MigratePages]).toBe('mm_migrate_pages');
    expect(NUMA_EVENT_NAMES).toHaveLength(4);
  });

  it('are looked up by name and system', () => {
    expect(eventKindOf('migrate', 'mm_migrate_pages')).toBe(EventKind.MigratePages);
    expect(eventKindOf('', 'sched_stick_numa')).toBe(EventKind.NumaStick);
    expect(eventKindOf('sched', 'mm_migrate_pages')).toBe(EventKind.Other);
    expect(eventKindOf('sched', 'sched_process_exit')).toBe(EventKind.Other);
  });

  it('name a modelled kind by its event', () => {
    expect(eventName(EventKind.Switch)).toBe('sched_switch');
    expect(eventName(EventKind.WakeupNew)).toBe('sched_wakeup_new');
    expect(eventName(EventKind.KvmEntry)).toBe('kvm_entry');
    expect(eventName(EventKind.MigratePages)).toBe('mm_migrate_pages');
  });

  it('have near misses one edit away, the NUMA ones and the ignored ones included', () => {
    expect(nearMissOf('sched:sched_swap_nuam')).toBe('sched_swap_numa');
    expect(nearMissOf('migrate:mm_migrate_page')).toBe('mm_migrate_pages');
    expect(nearMissOf('sched_process_exti')).toBe('sched_process_exit');
    expect(nearMissOf('sched:sched_move_numa')).toBeNull();
    expect(nearMissOf('sched_process_fork')).toBeNull();
    expect(nearMissOf('sched:sched_stat_wait')).toBeNull();
  });
});
