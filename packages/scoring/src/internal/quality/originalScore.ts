/**
 * Re-implementation of the original Python system's scoring (litemars/BeaconDetectionSystem,
 * control_plane/detector.py) for side-by-side quality reports. NOT part of the published API.
 *
 * Read from its source: intervals outside [10, 3600] s are dropped and fewer than
 * min_connections - 1 = 9 remaining intervals are not scored; CV score
 * `1 / (1 + exp((10 / 0.15) (cv - 0.15)))`; jitter = max |I - median| scored against 5 s
 * (`1 - 0.5 j/5` up to 5 s, then `0.5 exp(-(j - 5) / 5)`); periodicity from an FFT of the
 * mean-centred *interval sequence*: the dominant normalised peak magnitude times its ratio to
 * the second peak, capped at 1.
 * Reconstructed from DESIGN.md / SEED-SURFACE.md (the later snapshot is not available): the
 * periodicity is blended 50/50 with the fraction of intervals within 10 % of the median, and a
 * size-CV signal `1 / (1 + exp((10 / 0.2) (sizeCv - 0.2)))` is added with the weights
 * 0.35 / 0.35 / 0.15 / 0.15.
 */
export interface OriginalResult {
  score: number;
  /** Null when the original would not score the pair. */
  scored: boolean;
  dominantPeriod: number | null;
}

const MIN_INTERVAL = 10;
const MAX_INTERVAL = 3600;
const MIN_INTERVALS = 9;
const CV_THRESHOLD = 0.15;
const JITTER_THRESHOLD = 5;
const SIZE_CV_THRESHOLD = 0.2;

/** The original's combined score (0 when it would not score the pair). */
export function originalScore(intervalsIn: ArrayLike<number>, sizes: ArrayLike<number>): OriginalResult {
  const iv: number[] = [];
  for (let i = 0; i < intervalsIn.length; i++) {
    const v = intervalsIn[i]!;
    if (v >= MIN_INTERVAL && v <= MAX_INTERVAL) iv.push(v);
  }
  if (iv.length < MIN_INTERVALS) return { score: 0, scored: false, dominantPeriod: null };
  const n = iv.length;
  const mean = iv.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(iv.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const median = medianOf(iv);
  const cv = mean > 0 ? std / mean : Infinity;
  let jitter = 0;
  for (const v of iv) jitter = Math.max(jitter, Math.abs(v - median));

  const cvScore = cv <= 0 ? 1 : 1 / (1 + Math.exp((10 / CV_THRESHOLD) * (cv - CV_THRESHOLD)));
  const jitterScore =
    jitter <= 0 ? 1 : jitter <= JITTER_THRESHOLD ? 1 - (jitter / JITTER_THRESHOLD) * 0.5 : 0.5 * Math.exp(-(jitter - JITTER_THRESHOLD) / JITTER_THRESHOLD);
  const fft = fftPeriodicity(iv, mean);
  let near = 0;
  for (const v of iv) if (Math.abs(v - median) <= 0.1 * median) near++;
  const periodicity = 0.5 * fft.score + 0.5 * (near / n);

  let sizeScore = 0;
  let wSize = 0.15;
  if (sizes.length > 0) {
    const s = Array.from(sizes);
    const sm = s.reduce((a, b) => a + b, 0) / s.length;
    const ss = Math.sqrt(s.reduce((a, b) => a + (b - sm) ** 2, 0) / s.length);
    const scv = sm > 0 ? ss / sm : 0;
    sizeScore = scv <= 0 ? 1 : 1 / (1 + Math.exp((10 / SIZE_CV_THRESHOLD) * (scv - SIZE_CV_THRESHOLD)));
  } else {
    wSize = 0;
  }
  const wSum = 0.35 + 0.35 + 0.15 + wSize;
  const score = (0.35 * cvScore + 0.35 * periodicity + 0.15 * Math.max(0, Math.min(1, jitterScore)) + wSize * sizeScore) / wSum;
  return { score, scored: true, dominantPeriod: fft.period };
}

function medianOf(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** DFT of the mean-centred interval sequence, as in the original (scipy fft + fftfreq(n, d=mean)). */
function fftPeriodicity(iv: number[], mean: number): { score: number; period: number | null } {
  const n = iv.length;
  const half = n >> 1;
  const mag = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      const x = iv[t]! - mean;
      re += x * Math.cos(a);
      im += x * Math.sin(a);
    }
    mag[k] = Math.hypot(re, im);
  }
  let total = 0;
  for (const m of mag) total += m;
  const peaks: Array<[number, number]> = [];
  for (let i = 1; i < half - 1; i++) {
    if (mag[i]! > mag[i - 1]! && mag[i]! > mag[i + 1]!) peaks.push([i / (n * mean), mag[i]! / (total + 1e-10)]);
  }
  peaks.sort((a, b) => b[1] - a[1]);
  const first = peaks[0];
  if (first === undefined) return { score: 0, period: null };
  const second = peaks[1];
  const score = second === undefined ? first[1] : Math.min(1, first[1] * (first[1] / (second[1] + 1e-10)));
  return { score, period: first[0] > 0 ? 1 / first[0] : null };
}
