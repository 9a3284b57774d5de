import { SynthError } from '../errors.js';

/** Throws INVALID_OPTION unless `value` is a finite number in [min, max]. */
export function checkRange(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new SynthError('INVALID_OPTION', `${name} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Throws INVALID_OPTION unless `value` is an integer in [min, max]. */
export function checkInt(name: string, value: number, min: number, max: number): void {
  checkRange(name, value, min, max);
  if (!Number.isInteger(value)) throw new SynthError('INVALID_OPTION', `${name} must be an integer, got ${value}`);
}
