// The VMs of a pane: each VM's colour ramp (one swatch per vCPU), how it was
// grouped (and, when that rests on a guess, how to settle it), rename, hide,
// and click to highlight it on the map. Names are untrusted text.

import { useState } from 'react';
import { useAppStore } from './appStore';
import { vmLabel } from './pane/paneStore';
import { usePane, useVmLegend } from './pane/PaneContext';
import { LaneStateKey } from './LaneStateKey';
import { THEME } from '../render/colors';
import { GAP_LABEL, HOST_GREYS, MIXED_LABEL } from '../render/legendColors';
import { thousands } from '../model/format';
import type { Grouping } from '../model/vms';

/** How a VM was grouped, and the short form a narrow legend shows (.narrow-only, styles.css; the long one its tooltip). */
const GROUPING_TEXT: Record<Grouping, readonly [string, string]> = {
  tgid: ['grouped by process id from the trace', 'by pid'],
  companion: ['grouped by process id from a companion file', 'by pid (companion)'],
  'vm-map': ['grouped by your VM map', 'by your VM map'],
  name: ['grouped by thread names', 'by thread names'],
};
const COMPANION_VCPUS = ['vCPU threads listed by a companion file', 'vCPUs from a companion'] as const;

export function Legend() {
  const run = usePane((s) => s.run);
  const vmLabels = usePane((s) => s.vmLabels);
  const hiddenVms = usePane((s) => s.hiddenVms);
  const highlightVm = usePane((s) => s.highlightVm);
  const hideHostTasks = usePane((s) => s.hideHostTasks);
  const laneMode = usePane((s) => s.laneMode);
  const renameVm = usePane((s) => s.renameVm);
  const toggleVmHidden = usePane((s) => s.toggleVmHidden);
  const setHighlightVm = usePane((s) => s.setHighlightVm);
  const setHideHostTasks = usePane((s) => s.setHideHostTasks);
  const load = useAppStore((s) => s.load);
  // The same colour slots as the map: in a comparison, paired VMs share a colour.
  const legend = useVmLegend();
  const [editing, setEditing] = useState<number | null>(null);

  // What the grouping could not settle (QEMU threads without process ids, companion conflicts): text.
  const notes = run.vmNotes ?? [];
  if (run.vms.length === 0)
    return (
      <div className="legend empty">
        No VM vCPU threads found: no thread is named like a vCPU (<code>CPU n/KVM</code>, set by QEMU&apos;s{' '}
        <code>-name debug-threads=on</code>), none ran KVM events and no QEMU process is known by its process id.
        {notes.map((n, k) => (
          <p key={k} className="vm-note" data-testid="vm-note">
            {n}
          </p>
        ))}
      </div>
    );
  // What most VMs share (vCPU count, how they were grouped) is said once, after the VMs.
  const groupingTexts = (i: number): readonly [string, string] =>
    run.vms[i].vcpuSource === 'companion' ? COMPANION_VCPUS : GROUPING_TEXT[run.vms[i].grouping];
  const groupingOf = (i: number): string => groupingTexts(i)[0];
  const common = commonValue(run.vms.map((_, i) => groupingOf(i)));
  const commonShort = common !== null ? groupingTexts(0)[1] : null;
  const commonVcpus = commonValue(run.vms.map((vm) => vm.vcpus.length));
  const maxVcpus = Math.max(...run.vms.map((vm) => vm.vcpus.length));
  return (
    <ul className="legend compact">
      {run.vms.map((vm, i) => {
        const entry = legend.find((l) => l.vm === i);
        const name = vmLabel({ run, vmLabels }, i);
        const meta = `${vm.vcpus.length} vCPUs${vm.tgid !== null ? `, pid ${vm.tgid}` : ''} — ${groupingOf(i)}`;
        // The VM's base swatch (7 px) and its ramp in at most ~36 px together: one stripe per vCPU, dark
        // (vCPU 0) to light.
        const stripe = Math.max(1.5, Math.min(10, 29 / Math.max(1, vm.vcpus.length)));
        return (
          <li
            key={i}
            data-testid="vm-legend-item"
            data-vm-name={name}
            data-vcpu-tids={vm.vcpus.map((v) => v.tid).join(',')}
            data-ambiguous={vm.ambiguous ? 'true' : 'false'}
            data-estimated={vm.estimateReason ? 'true' : 'false'}
            className={[highlightVm === i ? 'highlighted' : '', hiddenVms.has(i) ? 'hidden-vm' : ''].join(' ')}
            title={`${name}: ${meta}`}
          >
            <button
              className="vm-swatches"
              title="Highlight this VM on the map"
              onClick={() => setHighlightVm(highlightVm === i ? null : i)}
            >
              {entry && (
                <span
                  className="swatch vm-base"
                  data-testid="vm-base-swatch"
                  data-color={entry.color}
                  style={{ background: entry.color }}
                  title={`${name}'s colour: a pixel several of its threads share, none of them half of it`}
                />
              )}
              {entry?.ramp.map((r) => (
                <span
                  key={r.tid}
                  className="swatch"
                  style={{ background: r.color, width: stripe }}
                  title={`vCPU ${r.index}`}
                />
              ))}
            </button>
            {editing === i ? (
              <input
                autoFocus
                defaultValue={name}
                aria-label="VM name"
                onBlur={(e) => {
                  if (e.target.value.trim()) renameVm(i, e.target.value.trim());
                  setEditing(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
                  if (e.key === 'Escape') setEditing(null);
                }}
              />
            ) : (
              <strong
                className="vm-name"
                data-testid="vm-name"
                onDoubleClick={() => setEditing(i)}
                title={`${name}: ${meta}. Double-click to rename`}
              >
                {name}
              </strong>
            )}
            {commonVcpus === null && <span className="vm-meta">{vm.vcpus.length}</span>}
            {vm.ambiguous && (
              <span className="ambiguous" title={vm.ambiguityReason ?? ''} data-testid="vm-ambiguous">
                ⚠ a guess{' '}
                <FixInput title={vm.ambiguityReason ?? ''} load={load}>
                  fix: add a timehist, ps -eLo or tid,vm CSV…
                </FixInput>
              </span>
            )}
            {vm.estimateReason && (
              <span className="ambiguous" title={vm.estimateReason} data-testid="vm-estimated">
                ≈ vCPUs estimated{' '}
                <FixInput title={vm.estimateReason} load={load}>
                  exact: add a QMP or HMP vCPU answer…
                </FixInput>
              </span>
            )}
            {vm.otherThreadsGuess && (
              <span className="ambiguous" title={vm.otherThreadsGuess} data-testid="vm-threads-guessed">
                ≈ main thread by tid order
              </span>
            )}
            <span className="vm-actions">
              <button onClick={() => setEditing(i)} aria-label={`rename ${name}`} title="rename">
                ✎
              </button>
              <button onClick={() => toggleVmHidden(i)} aria-label={`${hiddenVms.has(i) ? 'show' : 'hide'} ${name}`}>
                {hiddenVms.has(i) ? 'show' : 'hide'}
              </button>
            </span>
          </li>
        );
      })}
      <li className="legend-key" data-testid="legend-key">
        <span className="vm-meta" title={common ?? undefined}>
          {commonVcpus !== null ? `${commonVcpus} vCPUs each` : 'vCPUs per VM beside each name'}
          {common !== null && (
            <>
              {' · '}
              <span className="wide-only">{common}</span>
              <span className="narrow-only">{commonShort}</span>
            </>
          )}
          {' · vCPU 0'}
        </span>
        <span className="ramp-key" title="Within a VM's colour: vCPU 0 darkest, its last vCPU lightest">
          {legend[0]?.ramp.map((r) => (
            <span key={r.tid} className="swatch" style={{ background: r.color, width: 3 }} />
          ))}
        </span>
        <span className="vm-meta">vCPU {maxVcpus - 1}</span>
      </li>
      <li className="host-tasks" data-testid="host-key">
        {/* The map's own colours: a host task's grey is one of these (by tid). */}
        <span className="ramp-key" title="A host task is drawn in one of these greys (picked by its tid)">
          {HOST_GREYS.map((c) => (
            <span key={c} className="swatch" data-color={c} style={{ background: c, width: 4 }} />
          ))}
        </span>{' '}
        other host tasks{' '}
        <button onClick={() => setHideHostTasks(!hideHostTasks)}>{hideHostTasks ? 'show' : 'hide'}</button>
        <span className="swatch" data-color={THEME.idle} style={{ background: THEME.idle, marginLeft: 12 }} /> idle
        {laneMode === 'cpu' && (
          <span
            data-testid="mixed-key"
            title="A CPU-lane pixel no thread covers half of shows the VM whose threads cover half of it, in the VM's colour (first swatch of its ramp); where none does, this mark"
          >
            <span
              className="swatch mixed"
              data-color={THEME.mixed}
              style={{ background: THEME.mixed, marginLeft: 12 }}
            />{' '}
            {MIXED_LABEL}
          </span>
        )}
        {run.model.gaps.length > 0 && (
          <span
            data-testid="gap-key"
            title={`Where the pasted text was cut (${run.model.gaps.length === 1 ? 'one elision mark' : `${thousands(run.model.gaps.length)} elision marks`} such as [...] or <snip>): what ran there is not in the trace, on any CPU`}
          >
            <span className="swatch gap-band" data-color={THEME.gapStripe} style={GAP_SWATCH} /> {GAP_LABEL}
          </span>
        )}
        {legend.some((l) => run.vms[l.vm]?.otherThreads.some((t) => t.task >= 0)) && (
          <span title="A VM's threads that are not vCPUs (QEMU's main loop, I/O threads): a greyed version of its hue">
            <span className="ramp-key" style={{ marginLeft: 12 }}>
              {legend
                .filter((l) => run.vms[l.vm]?.otherThreads.some((t) => t.task >= 0))
                .map((l) => (
                  <span
                    key={l.vm}
                    className="swatch"
                    data-color={l.threadColor}
                    style={{ background: l.threadColor, width: 4 }}
                  />
                ))}
            </span>{' '}
            VMs&apos; other threads
          </span>
        )}
      </li>
      {laneMode === 'vcpu' && <LaneStateKey />}
      {notes.length > 0 && (
        <li className="vm-notes">
          <details>
            <summary>
              {notes.length} note{notes.length === 1 ? '' : 's'} on the VM grouping
            </summary>
            {notes.map((n, k) => (
              <p key={k} className="vm-note" data-testid="vm-note">
                {n}
              </p>
            ))}
          </details>
        </li>
      )}
    </ul>
  );
}

/** The map's gap band (render/gapBands.ts) as a swatch: its stripes over its tint. */
const GAP_SWATCH = {
  background: THEME.gapTint,
  backgroundImage: `repeating-linear-gradient(45deg, ${THEME.gapStripe} 0 2px, transparent 2px 5px)`,
  marginLeft: 12,
};

/** The one value every entry has, or null when they differ (or there are none). */
function commonValue<T>(xs: readonly T[]): T | null {
  return xs.length > 0 && xs.every((x) => x === xs[0]) ? xs[0] : null;
}

/** A file input that drops companions onto the open runs, shown as a link. */
function FixInput({
  title,
  load,
  children,
}: {
  title: string;
  load: (files: File[]) => Promise<void>;
  children: string;
}) {
  return (
    <label className="fix-grouping" title={title}>
      {children}
      <input
        type="file"
        multiple
        data-testid="companion-input"
        onChange={(e) => {
          void load(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
    </label>
  );
}
