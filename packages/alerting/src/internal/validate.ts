import { AlertingError } from '../alertingError.js';

/** Checks an integer option; throws `INVALID_OPTIONS` naming the owner and the option. */
export function positiveInteger(owner: string, option: string, value: unknown, opts: { allowZero?: boolean } = {}): number {
  const min = opts.allowZero ? 0 : 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new AlertingError('INVALID_OPTIONS', `${owner}: ${option} must be an integer >= ${min} (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** Checks a non-empty string option. */
export function nonEmptyString(owner: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new AlertingError('INVALID_OPTIONS', `${owner}: ${option} must be a non-empty string (got ${JSON.stringify(value)})`);
  }
  return value;
}
