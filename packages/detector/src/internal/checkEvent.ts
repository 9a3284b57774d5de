import type { RejectReason } from '../ingestResult.js';
import { isServerNameText } from './serverNames.js';

/** A failed check: reason and field path. */
export interface Failure {
  reason: RejectReason;
  path: string;
}

const TIME: Failure = { reason: 'invalid_time', path: 'tsSec' };
const NSEC: Failure = { reason: 'invalid_time', path: 'tsNsec' };
const SRC_PORT: Failure = { reason: 'invalid_port', path: 'srcPort' };
const DST_PORT: Failure = { reason: 'invalid_port', path: 'dstPort' };
const PROTO: Failure = { reason: 'invalid_protocol', path: 'protocol' };
const KIND: Failure = { reason: 'invalid_kind', path: 'kind' };
const BYTES: Failure = { reason: 'invalid_size', path: 'bytes' };
const DURATION: Failure = { reason: 'invalid_size', path: 'durationSec' };
const SRC_IP: Failure = { reason: 'invalid_address', path: 'srcIp' };
const DST_IP: Failure = { reason: 'invalid_address', path: 'dstIp' };
const NAME: Failure = { reason: 'invalid_address', path: 'serverName' };
const NOT_OBJECT: Failure = { reason: 'invalid_event', path: '' };

/** Preallocated failures for address checks done at pair creation. */
export const ADDRESS_FAILURES: { src: Failure; dst: Failure } = { src: SRC_IP, dst: DST_IP };

const isPort = (v: unknown): boolean => typeof v === 'number' && (v | 0) === v && v >= 0 && v <= 65535;

/**
 * Hot-path check of the fields the detector uses (time, addresses are strings, ports, protocol,
 * kind, bytes, durationSec). Full address syntax is checked once per new pair, not per event.
 * Returns null when fine. Allocates nothing.
 */
export function checkEvent(e: unknown): Failure | null {
  if (typeof e !== 'object' || e === null) return NOT_OBJECT;
  const ev = e as Record<string, unknown>;
  const sec = ev.tsSec;
  if (typeof sec !== 'number' || !Number.isInteger(sec) || sec < 0 || sec > 1e11) return TIME;
  const ns = ev.tsNsec;
  if (typeof ns !== 'number' || (ns | 0) !== ns || ns < 0 || ns > 999_999_999) return NSEC;
  if (typeof ev.srcIp !== 'string') return SRC_IP;
  if (typeof ev.dstIp !== 'string') return DST_IP;
  if (!isPort(ev.srcPort)) return SRC_PORT;
  if (!isPort(ev.dstPort)) return DST_PORT;
  const p = ev.protocol;
  if (typeof p !== 'number' || (p | 0) !== p || p < 0 || p > 255) return PROTO;
  const k = ev.kind;
  if (k !== 'flow_start' && k !== 'burst' && k !== 'flow_end') return KIND;
  const b = ev.bytes;
  if (typeof b !== 'number' || !(b >= 0) || b === Infinity) return BYTES;
  const d = ev.durationSec;
  if (d !== undefined && (typeof d !== 'number' || !(d >= 0) || d === Infinity)) return DURATION;
  const n = ev.serverName;
  if (n !== undefined && !isServerNameText(n)) return NAME;
  return null;
}

/** Human-readable message for a failure of `e`. */
export function describe(f: Failure, e: unknown): string {
  if (f.reason === 'invalid_event') return `event is ${e === null ? 'null' : typeof e}, expected an object`;
  const v = (e as Record<string, unknown>)[f.path];
  const shown = typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v) : String(v);
  const want: Record<RejectReason, string> = {
    invalid_event: 'an object',
    invalid_time: f.path === 'tsNsec' ? 'an integer in 0-999999999' : 'a non-negative integer of epoch seconds',
    invalid_address: f.path === 'serverName' ? `a server name of 1-255 letters, digits, '-', '.', '_', ':' or '*'` : 'IPv4 or IPv6 text',
    invalid_port: 'an integer in 0-65535',
    invalid_protocol: 'an integer in 0-255',
    invalid_kind: 'flow_start, burst or flow_end',
    invalid_size: 'a finite non-negative number',
    too_late: `within outOfOrderTolerance of the pair's newest event`,
  };
  return `${f.path} is ${shown}, expected ${want[f.reason]}`;
}
