import FFT from 'fft.js';

/** Share of the strongest line's power a line needs to count as a peak. */
const PEAK_SHARE = 0.8;

/** Power of the event train at one period. */
export interface SpectrumPoint {
  /** Period, seconds. */
  period: number;
  /** Power, normalised so the strongest period is 1. */
  power: number;
}

/** The spectrum of a pair's event train and where it peaks. */
export interface Spectrum {
  points: SpectrumPoint[];
  /** Period of the strongest component, seconds (null with too few events). */
  peakPeriod: number | null;
  /** Bin width of the event train, seconds. */
  binSeconds: number;
}

/**
 * Power spectrum of the event train (events counted in `size` equal time bins over the span of
 * `times`, mean removed), by fft.js. A beacon is a comb: its spectrum peaks at the beacon's
 * period (and its harmonics), whatever the jitter of single intervals. Periods from two bins up
 * to half the span are returned, shortest first.
 */
export function eventSpectrum(times: readonly number[], size = 4096): Spectrum {
  const t0 = times[0];
  const t1 = times[times.length - 1];
  if (times.length < 4 || t0 === undefined || t1 === undefined || t1 <= t0) return { points: [], peakPeriod: null, binSeconds: 0 };
  const span = t1 - t0;
  const bin = span / (size - 1);
  const train = new Float64Array(size);
  for (const t of times) train[Math.min(size - 1, Math.round((t - t0) / bin))]! += 1;
  const mean = times.length / size;
  for (let i = 0; i < size; i++) train[i]! -= mean;
  const fft = new FFT(size);
  const out = fft.createComplexArray();
  fft.realTransform(out, train);
  const total = size * bin;
  const points: SpectrumPoint[] = [];
  let peak = 0;
  // k = 1 is the whole span, k = size/2 is two bins: keep periods up to half the span.
  for (let k = size / 2; k >= 2; k--) {
    const re = out[2 * k] as number;
    const im = out[2 * k + 1] as number;
    const power = re * re + im * im;
    points.push({ period: total / k, power });
    if (power > peak) peak = power;
  }
  if (peak > 0) for (const p of points) p.power /= peak;
  // A comb has equal power at its period and every harmonic (P/2, P/3, ...) and none below 1/P:
  // the fundamental is the longest period among the strongest lines.
  let peakPeriod: number | null = null;
  for (const p of points) if (p.power >= PEAK_SHARE) peakPeriod = p.period;
  return { points, peakPeriod, binSeconds: bin };
}
