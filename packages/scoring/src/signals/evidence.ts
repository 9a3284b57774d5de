import { binomialLowerTailLn, binomialLowerTailLnBelow } from '../internal/binomial.js';

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
/** Band edges in 1/16-median units: every edge is a whole number of bins. */
const B_FLOOR = bin(LONG_FRACTION);
const B_TIGHT = bin(TIGHT_EDGE);
const B_LO = bin(BOUNDS[0]);
const B_HI = bin(BOUNDS[1]);
const B_CELLS = LATTICE_CELLS.map(([lo, hi]) => [bin(lo), bin(hi)] as const);
/** Past the last lattice cell every count is settled: one bin holds everything from there up. */
const B_TOP = Math.max(B_HI, B_TIGHT, ...B_CELLS.map(([, hi]) => hi));

/**
 * Bin -> the bands it is in, one byte each in one integer: byte 0 below the floor, byte 1 beyond
 * the tight edge, byte 2 on the lattice, byte 3 inside the bounds. Summing the entries of up to
 * {@link BAND_CHUNK} intervals counts all four bands at once in one register (no byte overflows
 * into the next, and the sum stays a small integer). Bin j holds [j/16, (j+1)/16) x median; the
 * last bin everything from `B_TOP / 16` up.
 * @internal
 */
export const BAND_OF: Int32Array = new Int32Array(B_TOP + 1);
for (let b = 0; b <= B_TOP; b++) {
  let w = 0;
  if (b < B_FLOOR) w |= 1;
  if (b >= B_TIGHT) w |= 1 << 8;
  if (B_CELLS.some(([lo, hi]) => b >= lo && b < hi)) w |= 1 << 16;
  if (b >= B_LO && b < B_HI) w |= 1 << 24;
  BAND_OF[b] = w;
}
/** Intervals summed per packed count before it is unpacked: 127 << 24 is still below 2^31. @internal */
export const BAND_CHUNK: number = 127;
/** Largest bin index (see {@link BAND_OF}). @internal */
export const BAND_TOP: number = B_TOP;

/** Adds a packed {@link BAND_OF} sum to `out`. @internal */
export function unpackBands(acc: number, out: BandCounts): void {
  out.below += acc & 0xff;
  out.beyond += (acc >>> 8) & 0xff;
  out.onLattice += (acc >>> 16) & 0xff;
  out.inside += acc >>> 24;
}

/** Band counts of an interval train: what the four tests count. @internal */
export interface BandCounts {
  /** Intervals below the floor ({@link LONG_FRACTION} x median). */
  below: number;
  /** Intervals at or beyond the tight edge ({@link TIGHT_EDGE} x median). */
  beyond: number;
  /** Intervals in a lattice cell. */
  onLattice: number;
  /** Intervals inside {@link BOUNDS}. */
  inside: number;
}

/** Zeroed {@link BandCounts}. @internal */
export function newBandCounts(): BandCounts {
  return { below: 0, beyond: 0, onLattice: 0, inside: 0 };
}

/**
 * Counts `values[0..n)` into the bands of `out` (zeroing it first), given `scale = 16 / median`.
 * {@link intervalStats} does the same inline in its MAD pass.
 * @internal
 */
export function addBands(values: ArrayLike<number>, n: number, scale: number, out: BandCounts): BandCounts {
  out.below = 0;
  out.beyond = 0;
  out.onLattice = 0;
  out.inside = 0;
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + BAND_CHUNK);
    let acc = 0;
    for (; i < end; i++) acc += BAND_OF[Math.min((values[i] as number) * scale, B_TOP) | 0]!;
    unpackBands(acc, out);
  }
  return out;
}

const bands = newBandCounts();

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
  if (median > 0) addBands(intervals, n, BINS_PER_MEDIAN / median, bands);
  else {
    // all below the floor, outside the bounds
    bands.below = n;
    bands.beyond = 0;
    bands.onLattice = 0;
    bands.inside = 0;
  }
  return evidenceFromCounts(n, bands, out);
}

/**
 * The four p-values from band counts.
 * @internal
 */
export function evidenceFromCounts(n: number, c: BandCounts, out: Evidence): Evidence {
  const below = c.below;
  const beyond = c.beyond;
  const long = n - below;
  const offLattice = long - c.onLattice;
  const outside = n - c.inside;
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

/** What {@link scorePair} needs of the evidence: the combined and the bounded -log10 p-values. @internal */
export interface EvidenceLogs {
  log10Value: number;
  log10Bounded: number;
  outsideBounds: number;
}

/**
 * {@link evidenceFromCounts} reduced to what the score needs, with the same results: the bounded
 * test in full (its p-value is reported), then each other test only while it can still be the
 * smallest. `ln P(K <= k) >= ln` of its largest term (the sum of the tail is at least that
 * term), so a test whose largest term is already at or above the smallest p-value so far (or
 * above `1 / 4`, where the Bonferroni-combined p-value is 1 anyway) cannot change the result,
 * and its sum and logarithm are skipped.
 * @internal
 */
export function evidenceLogs(n: number, c: BandCounts, out: EvidenceLogs): EvidenceLogs {
  const long = n - c.below;
  const outside = n - c.inside;
  const lnBounded = binomialLowerTailLn(outside, n, Q_OUTSIDE_BOUNDS, LN[4]!, LN[5]!);
  // the combined value is 0 unless some test is below ln(1/4)
  let lnMin = lnBounded < -LN_TESTS ? lnBounded : -LN_TESTS;
  lnMin = binomialLowerTailLnBelow(c.beyond, long, Q_BEYOND, LN[0]!, LN[1]!, lnMin);
  lnMin = binomialLowerTailLnBelow(long - c.onLattice, long, Q_OFF_LATTICE, LN[2]!, LN[3]!, lnMin);
  lnMin = binomialLowerTailLnBelow(c.below, n, Q_BELOW_FLOOR, LN[6]!, LN[7]!, lnMin);
  const lnValue = lnMin + LN_TESTS;
  out.log10Value = lnValue >= 0 ? 0 : -lnValue / Math.LN10;
  out.log10Bounded = -lnBounded / Math.LN10;
  out.outsideBounds = outside;
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
