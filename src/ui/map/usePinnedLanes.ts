// Lanes pinned to the top of a pane's map (render/lanes pinLanes, the
// layout's pinned band): the pane store holds CPU numbers and vCPU thread ids
// (kept in the link, useUrlState); P pins or unpins the lane under the
// pointer, a right-click on a lane label does the same.

import type { KeyboardEvent } from 'react';
import type { HitResult } from '../../render/hitTest';
import { lanePinId, pinLanes, type Lane, type LaneMode } from '../../render/lanes';
import type { LanePins, PaneStore } from '../pane/paneStore';

/** The lanes with the pinned ones first for this mode, and how many are pinned. */
export function pinnedOrder(lanes: readonly Lane[], pins: LanePins, mode: LaneMode): { lanes: Lane[]; pinned: number } {
  return pinLanes(lanes, mode === 'cpu' ? { cpu: pins.cpu, vcpu: [] } : { cpu: [], vcpu: pins.vcpu });
}

export function isPinned(pins: LanePins, lane: Lane): boolean {
  const { kind, id } = lanePinId(lane);
  return pins[kind].includes(id);
}

export function toggleLanePin(store: PaneStore, lane: Lane): void {
  const { kind, id } = lanePinId(lane);
  store.getState().togglePin(kind, id);
}

/** P: pin or unpin the lane under the pointer (`hover`: the hit there); true when taken. */
export function pinKey(
  store: PaneStore,
  lanes: readonly Lane[],
  hover: HitResult | null,
  e: KeyboardEvent<HTMLElement>,
): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== 'p') return false;
  const lane = hover ? lanes[hover.lane] : undefined;
  if (!lane) return false;
  toggleLanePin(store, lane);
  e.preventDefault();
  return true;
}
