/**
 * Grow-only scratch buffers shared by the scoring functions. Scoring is synchronous and never
 * re-entrant, so one set per module keeps calls allocation-free without any observable state.
 */
let bufA = new Float64Array(256);
let bufB = new Float64Array(256);

/** A scratch buffer of at least `n` elements (contents undefined). */
export function scratchA(n: number): Float64Array {
  if (bufA.length < n) bufA = new Float64Array(grow(n));
  return bufA;
}

/** A second, independent scratch buffer of at least `n` elements. */
export function scratchB(n: number): Float64Array {
  if (bufB.length < n) bufB = new Float64Array(grow(n));
  return bufB;
}

function grow(n: number): number {
  let size = 256;
  while (size < n) size *= 2;
  return size;
}
