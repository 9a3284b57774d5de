// Checking a detector state snapshot before it is loaded (see stateLoad.ts): by hand, naming the
// path of the first bad field.
import { DetectorError } from '../detectorError.js';
import type { DetectorState } from '../detectorState.js';
import { parseIp } from './ip.js';
import { isServerName, isServerNameText, MAX_NAME_ADDRESSES } from './serverNames.js';

/** The largest value of the Uint32 ring entries (relative times and sizes). */
export const U32_MAX = 0xffffffff;
/** Largest `PairHistory.baseMs`: base plus any Uint32 offset stays an exact integer. */
const MAX_BASE_MS = Number.MAX_SAFE_INTEGER - U32_MAX;

function invalid(path: string, message: string): never {
  throw new DetectorError('INVALID_STATE', `invalid detector state: ${path}: ${message}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Paths are built only on failure: `at(i, field)` names a pair's field (i < 0: a top-level key).
const at = (i: number, field: string): string => (i < 0 ? field : `pairs.${i}.${field}`);

function finite(v: unknown, path: string, i = -1): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(at(i, path), `expected a finite number, got ${String(v)}`);
  return v;
}

function nonNeg(v: unknown, path: string, i = -1): number {
  if (typeof v !== 'number' || !(v >= 0) || v === Infinity) invalid(at(i, path), `expected a finite non-negative number, got ${String(v)}`);
  return v;
}

function int(v: unknown, path: string, max: number, i = -1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) invalid(at(i, path), `expected an integer in 0-${max}, got ${String(v)}`);
  return v;
}

function samples(v: unknown, path: string, i: number): number[] {
  if (!Array.isArray(v)) invalid(at(i, path), 'expected an array');
  for (let j = 0; j < v.length; j++) {
    const x = v[j];
    // one comparison chain per number: no per-element schema objects
    if (typeof x !== 'number' || !(x >= 0) || x === Infinity) invalid(`${at(i, path)}.${j}`, `expected a finite non-negative number, got ${String(x)}`);
  }
  return v as number[];
}

const kindOf = (v: unknown): string => (v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v);

/**
 * Checks a typed {@link PairHistory}: the arrays' types and that `start` and `length` lie within
 * both (every Uint32 value is a valid relative time and size, so the values need no check).
 */
function typedHistory(h: unknown, i: number): void {
  if (!isObj(h)) invalid(at(i, 'history'), `expected an object, got ${kindOf(h)}`);
  const { times, sizes } = h;
  if (!(times instanceof Uint32Array)) invalid(at(i, 'history.times'), `expected a Uint32Array, got ${kindOf(times)}`);
  if (!(sizes instanceof Uint32Array)) invalid(at(i, 'history.sizes'), `expected a Uint32Array, got ${kindOf(sizes)}`);
  int(h.baseMs, 'history.baseMs', MAX_BASE_MS, i);
  const start = h.start === undefined ? 0 : int(h.start, 'history.start', times.length, i);
  const length = h.length === undefined ? times.length - start : int(h.length, 'history.length', times.length - start, i);
  if (sizes.length < start + length) invalid(at(i, 'history.sizes'), `holds ${sizes.length} entries, fewer than start + length (${start + length})`);
}

/**
 * Checks a snapshot's structure by hand (a zod schema per number made importing 100,000 pairs
 * take seconds). Errors name the path of the first bad field, e.g. `pairs.12.times.3`.
 */
export function validateState(input: unknown, trusted: boolean): DetectorState {
  if (!isObj(input)) invalid('', 'expected an object');
  if (input.version !== 1) invalid('version', `expected 1, got ${String(input.version)}`);
  finite(input.exportedAt, 'exportedAt');
  const { pairs, beacons, cooldowns, counters } = input;
  if (!Array.isArray(pairs)) invalid('pairs', 'expected an array');
  const goodIps = new Set<string>();
  const ip = (v: unknown, path: string, i: number): void => {
    if (typeof v === 'string' && (trusted || goodIps.has(v))) return;
    if (typeof v !== 'string' || parseIp(v) === null) invalid(at(i, path), `expected IPv4 or IPv6 text, got ${JSON.stringify(v)}`);
    if (goodIps.size < 100_000) goodIps.add(v);
  };
  for (let i = 0; i < pairs.length; i++) {
    const p: unknown = pairs[i];
    if (!isObj(p)) invalid(`pairs.${i}`, 'expected an object');
    ip(p.srcIp, 'srcIp', i);
    if (!(typeof p.dstIp === 'string' && isServerName(p.dstIp))) ip(p.dstIp, 'dstIp', i);
    int(p.dstPort, 'dstPort', 65535, i);
    int(p.protocol, 'protocol', 255, i);
    finite(p.firstSeen, 'firstSeen', i);
    finite(p.lastSeen, 'lastSeen', i);
    int(p.count, 'count', Number.MAX_SAFE_INTEGER, i);
    nonNeg(p.maxFlowSec, 'maxFlowSec', i);
    int(p.longFlows, 'longFlows', Number.MAX_SAFE_INTEGER, i);
    if (p.failed !== undefined) int(p.failed, 'failed', Number.MAX_SAFE_INTEGER, i);
    if (p.serverName !== undefined && !isServerNameText(p.serverName)) invalid(at(i, 'serverName'), `expected a server name of 1-255 letters, digits, '-', '.', '_', ':' or '*', got ${JSON.stringify(p.serverName).slice(0, 80)}`);
    if (p.dstIps !== undefined) {
      if (!Array.isArray(p.dstIps) || p.dstIps.length > MAX_NAME_ADDRESSES) invalid(at(i, 'dstIps'), `expected an array of at most ${MAX_NAME_ADDRESSES} addresses`);
      for (let j = 0; j < p.dstIps.length; j++) ip(p.dstIps[j], `dstIps.${j}`, i);
    }
    if (p.history !== undefined) typedHistory(p.history, i);
    else {
      const times = samples(p.times, 'times', i);
      if (samples(p.sizes, 'sizes', i).length !== times.length) invalid(at(i, 'sizes'), 'times and sizes differ in length');
    }
  }
  if (!Array.isArray(beacons)) invalid('beacons', 'expected an array');
  for (let i = 0; i < beacons.length; i++) {
    const b: unknown = beacons[i];
    if (!isObj(b)) invalid(`beacons.${i}`, 'expected an object');
    if (typeof b.pairKey !== 'string') invalid(`beacons.${i}.pairKey`, 'expected a string');
    if (!isObj(b.result)) invalid(`beacons.${i}.result`, 'expected an object');
    if (typeof b.result.score !== 'number' || !Number.isFinite(b.result.score)) finite(b.result.score, `beacons.${i}.result.score`);
  }
  if (!Array.isArray(cooldowns)) invalid('cooldowns', 'expected an array');
  for (let i = 0; i < cooldowns.length; i++) {
    const c: unknown = cooldowns[i];
    if (!isObj(c)) invalid(`cooldowns.${i}`, 'expected an object');
    if (typeof c.pairKey !== 'string') invalid(`cooldowns.${i}.pairKey`, 'expected a string');
    if (!Number.isFinite(c.at)) finite(c.at, `cooldowns.${i}.at`);
    if (!Number.isFinite(c.score)) finite(c.score, `cooldowns.${i}.score`);
    if (c.severity !== 'CRITICAL' && c.severity !== 'HIGH' && c.severity !== 'MEDIUM' && c.severity !== 'LOW') invalid(`cooldowns.${i}.severity`, 'expected CRITICAL, HIGH, MEDIUM or LOW');
  }
  if (!isObj(counters)) invalid('counters', 'expected an object');
  for (const [k, v] of Object.entries(counters)) finite(v, `counters.${k}`);
  return input as unknown as DetectorState;
}
