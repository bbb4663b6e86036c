// Random small edits of a text, for the damaged-input tests (byteLines: the same model at any chunking;
// eventOracle: every event the parser keeps is one the text holds).

import type { Random } from '../synth/random';

/** How often each edit is drawn: cumulative thresholds of one draw in [0, 1); at `insert` and past, a cut line. */
export interface EditOdds {
  replace: number;
  remove: number;
  insert: number;
}

/**
 * A copy of `text` with `n` random edits: a character replaced by one of `noise`, up to 4 deleted, one of
 * `noise` inserted, or the line cut at the spot (the rest of it lost).
 */
export function mutate(text: string, rnd: Random, n: number, noise: readonly string[], odds: EditOdds): string {
  let t = text;
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * t.length);
    const what = rnd();
    const bit = noise[Math.floor(rnd() * noise.length)];
    if (what < odds.replace) t = t.slice(0, at) + bit + t.slice(at + 1);
    else if (what < odds.remove) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 4));
    else if (what < odds.insert) t = t.slice(0, at) + bit + t.slice(at);
    else {
      const nl = t.indexOf('\n', at);
      if (nl > at) t = t.slice(0, at) + t.slice(nl);
    }
  }
  return t;
}
