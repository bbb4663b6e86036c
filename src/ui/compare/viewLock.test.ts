// The view lock's bounds: the union of the locked traces.

import { describe, expect, it } from 'vitest';
import { drawnRunOf } from '../../model/drawnRun';
import { US } from '../../testing/runs';
import { runFromTimeline } from '../../testing/timeline';
import { paneBounds } from '../pane/paneBounds';
import { createPaneStore } from '../pane/paneStore';
import { lockExtent } from './viewLock';

describe('view lock', () => {
  it('bounds widen to the union of the locked traces, so a shorter trace can show past its end', () => {
    const short = runFromTimeline('cpu0 |a0----|b0----|', { unit: US }).run;
    const long = runFromTimeline('cpu0 |a0----|b0----|a0----|b0----|', { unit: US }).run;
    const [sa, sb] = [createPaneStore(drawnRunOf(short)), createPaneStore(drawnRunOf(long))];
    const ext = lockExtent([sa, sb])!;
    const lb = paneBounds(sb.getState());
    expect(ext).toEqual({ start: lb.start, end: lb.end });
    sa.getState().setExtent(ext);
    // The long trace's second half on the short trace's pane: kept, not pushed back inside the short trace.
    const half = { start: (ext.start + ext.end) / 2, end: ext.end };
    sa.getState().setView(half);
    expect(sa.getState().view).toEqual(half);
    // Unlocked: back inside its own trace.
    sa.getState().setExtent(null);
    expect(sa.getState().view.end).toBeLessThanOrEqual(ext.start + (ext.end - ext.start) / 2 + 1);
  });
});
