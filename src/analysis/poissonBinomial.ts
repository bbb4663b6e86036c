// The distribution of the number of successes of independent trials with
// success probabilities p_i (the Poisson-binomial distribution): here, how
// many of a VM's vCPUs would run at once if each ran independently with its
// own run share p_i (docs/metrics.md, coRunIndependent).

/** P(r = j), j = 0..n, for independent Bernoulli(p_i); by the O(n²) recurrence over the trials. */
export function poissonBinomial(ps: readonly number[]): number[] {
  const pmf = new Float64Array(ps.length + 1);
  pmf[0] = 1;
  ps.forEach((raw, i) => {
    const p = Math.min(1, Math.max(0, raw));
    // After trial i: P(j) = P(j)·(1 − p) + P(j − 1)·p, from the top so P(j − 1) is still the old value.
    for (let j = i + 1; j >= 1; j--) pmf[j] = pmf[j] * (1 - p) + pmf[j - 1] * p;
    pmf[0] *= 1 - p;
  });
  return Array.from(pmf);
}
