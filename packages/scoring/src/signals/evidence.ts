import { binomialLowerTailLn } from '../internal/binomial.js';

/**
 * How strongly an interval train rules out a memoryless (Poisson) process, from four counts
 * whose distribution under that null is known whatever the rate (see docs/scoring.md,
 * "Evidence"). With `M` the median interval and `E` an exponential interval:
 * `P(E < x M) = 1 - 2^-x`, and by memorylessness `E - a M`, given `E >= a M`, is again
 * exponential with median `M`. The median is the sample's (see docs/scoring.md for why the
 * tests stay conservative). Each count is a binomial under the null; its lower tail is the
 * p-value.
 */
export interface Evidence {
  /** Intervals counted. */
  n: number;
  /** Intervals of at least half the median ("long": not part of a burst). */
  long: number;
  /** Long intervals above 1.5 x median (null: half of the long ones). */
  beyond: number;
  /** Long intervals off the lattice cells around 1, 2 and 3 x median (see {@link LATTICE_CELLS}; null: 45.9 % of the long ones). */
  offLattice: number;
  /** Intervals outside [0.125, 2.5] x median: below the floor or above the ceiling (null: 26.0 %). */
  outsideBounds: number;
  /** Intervals below 0.5 x median (null: 29.3 %); a sleep with a floor, missed beats or not, has none. */
  belowFloor: number;
  /** `-log10 P(beyond <= observed)` under the null: a tight sleep. */
  log10Tight: number;
  /** `-log10 P(offLattice <= observed)` under the null: a sleep with missed beats. */
  log10Lattice: number;
  /** `-log10 P(outsideBounds <= observed)` under the null: a bounded (floor and ceiling) sleep. */
  log10Bounded: number;
  /** `-log10 P(belowFloor <= observed)` under the null: a sleep with a floor. */
  log10Floor: number;
  /** Combined, `-log10 min(1, 4 x` the smallest of the four p-values`)` (Bonferroni over the four tests). */
  log10Value: number;
}

/**
 * Every edge below is a multiple of 1/16 of the median, so one pass drops each interval into a
 * 1/16-median bin, and a table maps the bin to the bands it is in (no data-dependent branches).
 */
/** Bins per median of the band classification. @internal */
export const BINS_PER_MEDIAN = 16;

/** Intervals below this fraction of the median are bursts, left out of the tight and lattice tests; also the floor test's floor. */
export const LONG_FRACTION = 0.5;
/** Upper edge of the tight test, as a multiple of the median. */
export const TIGHT_EDGE = 1.5;
/**
 * The lattice cells around 1, 2 and 3 x median, their half-widths growing about like sqrt(k)
 * (0.25, 0.375, 0.4375), like the beat grid's tolerance. Beyond 3.5 x median is off the lattice.
 */
export const LATTICE_CELLS: readonly (readonly [number, number])[] = [
  [0.75, 1.25],
  [1.625, 2.375],
  [2.5625, 3.4375],
];
/** Floor and ceiling of the bounded test, as multiples of the median. */
export const BOUNDS: readonly [number, number] = [0.125, 2.5];

/** `P(a M <= E < b M)` for an exponential E with median M: `2^-a - 2^-b`. */
function between(a: number, b: number): number {
  return Math.pow(2, -a) - Math.pow(2, -b);
}

/** Null probability that an interval lies below the floor {@link LONG_FRACTION} x median: `1 - 2^-0.5`. */
export const Q_BELOW_FLOOR: number = 1 - Math.pow(2, -LONG_FRACTION);

/** Null probability that a long interval lies beyond the tight edge: `2^-(1.5 - 0.5)` = 1/2 (memoryless). */
export const Q_BEYOND: number = Math.pow(2, -(TIGHT_EDGE - LONG_FRACTION));

/**
 * Null probability that a long interval lies off the lattice: the cells' mass divided by the
 * mass above the floor, `1 - sum (2^-lo - 2^-hi) / 2^-0.5`.
 */
export const Q_OFF_LATTICE: number = 1 - LATTICE_CELLS.reduce((s, [lo, hi]) => s + between(lo, hi), 0) / Math.pow(2, -LONG_FRACTION);

/** Null probability that an interval lies outside {@link BOUNDS}: `1 - (2^-0.125 - 2^-2.5)`. */
export const Q_OUTSIDE_BOUNDS: number = 1 - between(BOUNDS[0], BOUNDS[1]);

// ln q and ln(1 - q) of the four tests, in the order tight, lattice, bounded, floor
const LN: readonly number[] = [Q_BEYOND, Q_OFF_LATTICE, Q_OUTSIDE_BOUNDS, Q_BELOW_FLOOR].flatMap((q) => [Math.log(q), Math.log1p(-q)]);

/** Number of tests combined (the Bonferroni factor). */
export const TESTS = 4;
const LN_TESTS = Math.log(TESTS);

/** A -log10 p-value, capped at 300 for p = 0. */
export function log10Evidence(p: number): number {
  return p <= 0 ? 300 : -Math.log10(p);
}

const bin = (x: number): number => Math.round(x * BINS_PER_MEDIAN);
const B_FLOOR = bin(LONG_FRACTION);
const B_TIGHT = bin(TIGHT_EDGE);
const B_LO = bin(BOUNDS[0]);
const B_HI = bin(BOUNDS[1]);
const B_CELLS = LATTICE_CELLS.map(([lo, hi]) => [bin(lo), bin(hi)] as const);
/** Past the last lattice cell every count is settled: one bin holds everything from there up. */
const B_TOP = Math.max(B_HI, B_TIGHT, ...B_CELLS.map(([, hi]) => hi));

// Each 1/16-median bin maps to a class: one bit per band it is in (bit 0 below the floor,
// 1 beyond the tight edge, 2 on the lattice, 3 inside the bounds). Sixteen class counters are
// cleared and summed per call, whatever n is.
/** Bin -> band class table, for callers that count in a pass of their own ({@link classIndex}). @internal */
export const CLASS_OF: Uint8Array = new Uint8Array(B_TOP + 1);
for (let b = 0; b <= B_TOP; b++) {
  let c = 0;
  if (b < B_FLOOR) c |= 1;
  if (b >= B_TIGHT) c |= 2;
  if (B_CELLS.some(([lo, hi]) => b >= lo && b < hi)) c |= 4;
  if (b >= B_LO && b < B_HI) c |= 8;
  CLASS_OF[b] = c;
}
const counts = new Int32Array(16);

/** Index into {@link CLASS_OF} of an interval `x` given `scale = 16 / median`. @internal */
export function classIndex(x: number, scale: number): number {
  return Math.min(x * scale, B_TOP) | 0;
}

/** Number of band classes (the length of a class-count array). @internal */
export const CLASSES = 16;

/**
 * Counts the intervals against the bands around `median` and turns the counts into p-values
 * under a Poisson null. One pass over the intervals; allocates the result only.
 * @internal
 */
export function evidenceOf(intervals: ArrayLike<number>, n: number, median: number): Evidence {
  return evidenceInto(intervals, n, median, newEvidence());
}

/** A zeroed {@link Evidence}, for {@link evidenceInto}. @internal */
export function newEvidence(): Evidence {
  return { n: 0, long: 0, beyond: 0, offLattice: 0, outsideBounds: 0, belowFloor: 0, log10Tight: 0.5, log10Lattice: 0.5, log10Bounded: 0.5, log10Floor: 0.5, log10Value: 0.5 };
}

/** {@link evidenceOf} into a reused object (no allocation). @internal */
export function evidenceInto(intervals: ArrayLike<number>, n: number, median: number, out: Evidence): Evidence {
  counts.fill(0);
  if (median > 0) {
    const scale = BINS_PER_MEDIAN / median;
    // bin j holds [j/16, (j+1)/16) x median; the last bin everything from B_TOP/16 up
    for (let i = 0; i < n; i++) counts[CLASS_OF[classIndex(intervals[i] as number, scale)]!]!++;
  } else {
    counts[1] = n; // all below the floor, outside the bounds
  }
  return evidenceFromCounts(n, counts, out);
}

/**
 * The p-values from class counts (`counts[c]` intervals in class c of {@link CLASS_OF}).
 * @internal
 */
export function evidenceFromCounts(n: number, classCounts: Int32Array, out: Evidence): Evidence {
  let below = 0;
  let beyond = 0;
  let onLattice = 0;
  let inside = 0;
  for (let c = 0; c < CLASSES; c++) {
    const k = classCounts[c]!;
    if (k === 0) continue;
    if (c & 1) below += k;
    if (c & 2) beyond += k;
    if (c & 4) onLattice += k;
    if (c & 8) inside += k;
  }
  const long = n - below;
  const offLattice = long - onLattice;
  const outside = n - inside;
  // in log space: one logarithm per test at most, two exponentials for the reported p-values
  const lnTight = binomialLowerTailLn(beyond, long, Q_BEYOND, LN[0]!, LN[1]!);
  const lnLattice = binomialLowerTailLn(offLattice, long, Q_OFF_LATTICE, LN[2]!, LN[3]!);
  const lnBounded = binomialLowerTailLn(outside, n, Q_OUTSIDE_BOUNDS, LN[4]!, LN[5]!);
  const lnFloor = binomialLowerTailLn(below, n, Q_BELOW_FLOOR, LN[6]!, LN[7]!);
  let lnMin = lnTight < lnLattice ? lnTight : lnLattice;
  if (lnBounded < lnMin) lnMin = lnBounded;
  if (lnFloor < lnMin) lnMin = lnFloor;
  const lnValue = lnMin + LN_TESTS;
  out.n = n;
  out.long = long;
  out.beyond = beyond;
  out.offLattice = offLattice;
  out.outsideBounds = outside;
  out.belowFloor = below;
  out.log10Tight = -lnTight / Math.LN10;
  out.log10Lattice = -lnLattice / Math.LN10;
  out.log10Bounded = -lnBounded / Math.LN10;
  out.log10Floor = -lnFloor / Math.LN10;
  out.log10Value = lnValue >= 0 ? 0 : -lnValue / Math.LN10;
  return out;
}

/** -log10 p-value of the Poisson null at which the evidence cap reaches the alert threshold 0.7 (p = 0.01). */
export const EVIDENCE_ALERT_LOG10 = 2;
/** -log10 p-value at which the evidence cap is lifted (p = 1e-4). */
export const EVIDENCE_FULL_LOG10 = 4;
/** The alert threshold the cap is built around. */
const ALERT = 0.7;

/**
 * The highest score a train may reach on its evidence `L = -log10 pValue`: `0.7 L / 2` below
 * L = 2 (so a train a memoryless process produces more often than 1 time in 100 stays below the
 * alert threshold), rising linearly from 0.7 to 1 between L = 2 and L = 4.
 */
export function evidenceCap(log10p: number): number {
  if (!(log10p > 0)) return 0;
  if (log10p < EVIDENCE_ALERT_LOG10) return (ALERT * log10p) / EVIDENCE_ALERT_LOG10;
  if (log10p >= EVIDENCE_FULL_LOG10) return 1;
  return ALERT + ((1 - ALERT) * (log10p - EVIDENCE_ALERT_LOG10)) / (EVIDENCE_FULL_LOG10 - EVIDENCE_ALERT_LOG10);
}

/** -log10 p-value of the bounded test at which the bounded-sleep signal reaches 0.7 (p = 1e-4). */
export const BOUNDED_ALERT_LOG10 = 4;
/** -log10 p-value at which the bounded-sleep signal reaches its maximum. */
export const BOUNDED_FULL_LOG10 = 8;
/** The bounded-sleep signal's maximum: a sleep with a floor and a ceiling but no period is at most HIGH. */
export const BOUNDED_MAX = 0.9;

/**
 * Bounded-sleep signal from `L = -log10 pBounded`: `0.7 L / 4` below L = 4, then linear from 0.7
 * to {@link BOUNDED_MAX} at L = 8. Intervals drawn uniformly between `a` and `k a` (k up to about 12) never
 * fall outside [0.125, 2.5] x median, where a memoryless process puts 26 % of them, so the
 * signal grows with the number of intervals: 39 such intervals give p ~ 8e-6 (0.74).
 */
export function boundedSleepValue(log10p: number): number {
  if (!(log10p > 0)) return 0;
  if (log10p < BOUNDED_ALERT_LOG10) return (ALERT * log10p) / BOUNDED_ALERT_LOG10;
  if (log10p >= BOUNDED_FULL_LOG10) return BOUNDED_MAX;
  return ALERT + ((BOUNDED_MAX - ALERT) * (log10p - BOUNDED_ALERT_LOG10)) / (BOUNDED_FULL_LOG10 - BOUNDED_ALERT_LOG10);
}
