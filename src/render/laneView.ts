// Vertical zoom and scroll of the map's lanes: a lane height (CSS px; null
// while the lanes fit the map's height) and a scroll offset, changed by
// Ctrl+wheel (zoom about the pointer), Alt+wheel and keys (scroll). Pure: the
// map keeps the state in its pane store and lays lanes out from it.

export interface LaneView {
  /** Lane height in CSS px; null: the lanes share the map's height (the whole-host view). */
  height: number | null;
  /** Scroll offset in CSS px: lanes move up by this much. */
  scroll: number;
}

export const FIT_LANES: LaneView = { height: null, scroll: 0 };

/** Tallest lane a zoom reaches, CSS px. */
export const MAX_LANE_HEIGHT = 64;

export interface LaneGeometry {
  /** Lane height of the fitted layout, CSS px. */
  fitHeight: number;
  /** Content height of the fitted layout, CSS px (it may drop the gaps a fixed height of fitHeight keeps). */
  fitContent: number;
  /** Height of the map, CSS px. */
  viewHeight: number;
  /** Total height of all lanes and gaps at a lane height (CSS px). */
  contentHeight: (laneHeight: number) => number;
}

function clampScroll(scroll: number, content: number, view: number): number {
  return Math.max(0, Math.min(Math.max(0, content - view), scroll));
}

/**
 * Zoom lanes by `factor` (> 1 taller) keeping the content under `anchorY` (CSS px from the map's top)
 * where it is; back to the fit when the height falls to the fitted one.
 */
export function zoomLanes(lv: LaneView, factor: number, anchorY: number, g: LaneGeometry): LaneView {
  const cur = lv.height ?? g.fitHeight;
  // At least a pixel per step, so every step shows on lanes a few pixels tall.
  const scaled = factor > 1 ? Math.max(cur * factor, cur + 1) : factor < 1 ? Math.min(cur * factor, cur - 1) : cur;
  const next = Math.min(MAX_LANE_HEIGHT, Math.max(g.fitHeight, scaled));
  if (next <= g.fitHeight + 1e-9) return FIT_LANES;
  const oldContent = lv.height === null ? g.fitContent : g.contentHeight(cur);
  const newContent = g.contentHeight(next);
  const y = ((lv.height === null ? 0 : lv.scroll) + anchorY) * (newContent / Math.max(1, oldContent));
  return { height: next, scroll: clampScroll(y - anchorY, newContent, g.viewHeight) };
}

/** Scroll lanes by dy CSS px (clamped to the content). */
export function scrollLanes(lv: LaneView, dy: number, g: LaneGeometry): LaneView {
  if (lv.height === null) return lv;
  return { height: lv.height, scroll: clampScroll(lv.scroll + dy, g.contentHeight(lv.height), g.viewHeight) };
}

/** Keep a lane view valid for the current geometry (after a resize or a change of lanes). */
export function clampLaneView(lv: LaneView, g: LaneGeometry): LaneView {
  if (lv.height === null || lv.height <= g.fitHeight) return FIT_LANES;
  const scroll = clampScroll(lv.scroll, g.contentHeight(lv.height), g.viewHeight);
  return scroll === lv.scroll ? lv : { height: lv.height, scroll };
}

/** Scroll so that the content row range [top, bottom) (CSS px, unscrolled) is in view, as little as needed. */
export function revealRows(lv: LaneView, top: number, bottom: number, g: LaneGeometry): LaneView {
  if (lv.height === null) return lv;
  let s = lv.scroll;
  if (top < s) s = top;
  else if (bottom > s + g.viewHeight) s = bottom - g.viewHeight;
  return { height: lv.height, scroll: clampScroll(s, g.contentHeight(lv.height), g.viewHeight) };
}

/** Lane height a jump zooms fitted lanes to when they are too thin to be labelled (CSS px). */
export const JUMP_LANE_HEIGHT = 16;

/**
 * The lane view showing `count` lanes whose rows at lane height h are rows(h) (CSS px, unscrolled):
 * lanes tall enough to fill the map with them (at most `maxHeight`, at least the current height and the
 * fit), scrolled so they are centred, or start at the top when they do not fit.
 */
export function showLanes(
  lv: LaneView,
  count: number,
  maxHeight: number,
  rows: (h: number) => { top: number; bottom: number },
  g: LaneGeometry,
): LaneView {
  const cur = lv.height ?? g.fitHeight;
  let fill = Math.min(maxHeight, MAX_LANE_HEIGHT, g.viewHeight / Math.max(1, count));
  // The lanes' gaps take room too: shrink until their rows fit the map (a few steps suffice).
  for (let k = 0; k < 8; k++) {
    const r = rows(fill);
    if (r.bottom - r.top <= g.viewHeight) break;
    fill *= Math.min(0.99, g.viewHeight / (r.bottom - r.top));
  }
  const h = Math.max(cur, Math.floor(fill));
  if (h <= g.fitHeight + 1e-9) return FIT_LANES;
  const { top, bottom } = rows(h);
  const scroll = bottom - top <= g.viewHeight ? (top + bottom) / 2 - g.viewHeight / 2 : top;
  return { height: h, scroll: clampScroll(scroll, g.contentHeight(h), g.viewHeight) };
}
