import { ScoringError } from '../errors.js';

/** Numeric sample input: a plain array or a typed array. */
export type Samples = ArrayLike<number>;

/**
 * Throws a {@link ScoringError} naming the input and index of the first NaN, infinite or
 * negative value.
 */
export function validateSamples(values: Samples, name: 'intervals' | 'sizes'): void {
  checkArrayLike(values, name);
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // fast path: a finite non-negative number
    if (typeof v === 'number' && v >= 0 && v < Infinity) continue;
    const code = name === 'intervals' ? 'INVALID_INTERVAL' : 'INVALID_SIZE';
    let what: string;
    if (typeof v !== 'number') what = `not a number (${typeof v})`;
    else if (Number.isNaN(v)) what = 'NaN';
    else if (!Number.isFinite(v)) what = 'infinite';
    else what = `negative (${v})`;
    throw new ScoringError(code, `${name}[${i}] is ${what}`);
  }
}

/** Throws a {@link ScoringError} unless `values` is array-like (its elements are not checked). */
export function checkArrayLike(values: Samples, name: 'intervals' | 'sizes'): void {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new ScoringError(name === 'intervals' ? 'INVALID_INTERVAL' : 'INVALID_SIZE', `${name} must be an array of numbers`);
  }
}
