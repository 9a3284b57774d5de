import type { Context } from 'hono';
import { ServerError } from '../serverError.js';

/** Bounds of a numeric query parameter. */
export interface NumberBounds {
  min?: number;
  max?: number;
  integer?: boolean;
}

/**
 * Reads an optional numeric query parameter: `undefined` when absent or empty. Anything else
 * that is not a number within bounds is a 400 naming the parameter. Route validators return
 * these (optional) values, so the typed client (`hc`) sends numbers and the handler applies
 * its defaults.
 */
export function numberParam(c: Context, name: string, bounds: NumberBounds = {}): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false } = bounds;
  const kind = integer ? 'an integer' : 'a number';
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max)
    throw new ServerError('BAD_REQUEST', `${name} must be ${kind} from ${min} to ${max} (got "${raw}")`, { path: name });
  return value;
}

/** Reads an optional string query parameter restricted to `allowed` (case-insensitive). */
export function choiceParam<T extends string>(c: Context, name: string, allowed: readonly T[]): T | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const value = raw.toLowerCase() as T;
  if (!allowed.includes(value)) throw new ServerError('BAD_REQUEST', `${name} must be one of ${allowed.join(', ')} (got "${raw}")`, { path: name });
  return value;
}

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** Reads an optional boolean query parameter (`true`/`false`, `1`/`0`, `yes`/`no`). */
export function booleanParam(c: Context, name: string): boolean | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const value = raw.toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ServerError('BAD_REQUEST', `${name} must be true or false (got "${raw}")`, { path: name });
}

/** Epoch seconds to ISO 8601 UTC with a `Z`. */
export function iso(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}
