// d3's bisect where the sorted keys are read through a list of rows (the key of k is column[rows[k]]: a
// task's slices or switches among all of them). A d3 bisector over the rows would need a closure over the
// column on every call, and the map's searches run per lane of every frame.

/** Smallest k in [lo, hi) with column[rows[k]] > x (`strict`) or >= x, as bisectRight / bisectLeft; hi if none. */
export function bisectThrough(
  column: Float64Array,
  rows: Int32Array,
  x: number,
  strict: boolean,
  lo = 0,
  hi = rows.length,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const key = column[rows[mid]];
    if (strict ? key > x : key >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
