import type { Context } from 'hono';
import { ServerError } from '../serverError.js';

/** Bounds of a numeric query parameter. */
export interface NumberBounds {
  min?: number;
  max?: number;
  integer?: boolean;
}

/**
 * Reads a numeric query parameter, or `fallback` when absent or empty. Anything else that is
 * not a number within bounds is a 400 naming the parameter.
 */
export function numberParam(c: Context, name: string, fallback: number, bounds: NumberBounds = {}): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false } = bounds;
  const kind = integer ? 'an integer' : 'a number';
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max)
    throw new ServerError('BAD_REQUEST', `${name} must be ${kind} from ${min} to ${max} (got "${raw}")`, { path: name });
  return value;
}

/** Reads an optional string query parameter restricted to `allowed`. */
export function choiceParam<T extends string>(c: Context, name: string, allowed: readonly T[]): T | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const value = raw.toLowerCase() as T;
  if (!allowed.includes(value)) throw new ServerError('BAD_REQUEST', `${name} must be one of ${allowed.join(', ')} (got "${raw}")`, { path: name });
  return value;
}

/** Epoch seconds to ISO 8601 UTC with a `Z`. */
export function iso(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}
