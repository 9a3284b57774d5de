import type { PairDirection, PairKind } from '../event.js';
import { parseIp } from './ip.js';
import type { IpSet } from './ipSet.js';
import type { PairState } from './pairState.js';

/** Direction by code: bit 0 "destination not ours", bit 1 "source not ours". */
export const DIRECTIONS: readonly PairDirection[] = ['internal', 'outbound', 'inbound', 'external'];
/** Direction code of `inbound`. */
export const INBOUND = 2;
/** Hint bits: the event said the source (1) or the destination (2) is local. */
export const HINT_SRC = 1;
export const HINT_DST = 2;

/** Kinds by code. */
export const KINDS: readonly PairKind[] = ['beacon', 'reconnect', 'periodic'];

/**
 * Works out (and caches on the pair) the pair's direction code: a side is ours when the first
 * event said so (`hint`) or its address is in `internal`.
 */
export function directionOf(p: PairState, internal: IpSet): number {
  if (p.direction >= 0) return p.direction;
  const srcOurs = (p.hint & HINT_SRC) !== 0 || internal.has(p.srcIp, () => parseIp(p.srcIp));
  // a name-keyed pair's dstIp is the server name: its addresses decide
  const dst = p.named ? (p.dstIps?.[0] ?? p.dstIp) : p.dstIp;
  const dstOurs = (p.hint & HINT_DST) !== 0 || internal.has(dst, () => parseIp(dst));
  p.direction = (srcOurs ? 0 : 2) | (dstOurs ? 0 : 1);
  return p.direction;
}

/**
 * The hint bits of an event: its `localOrig`/`localResp` (Zeek's view). The probe's
 * ingress/egress is not used: on a gateway the first packet of an outbound flow arrives on the
 * inside interface, so "ingress" does not mean "to us"; the agent lists the host's own
 * addresses in `internalNetworks` instead.
 */
export function hintOf(e: { localOrig?: boolean | undefined; localResp?: boolean | undefined }): number {
  return (e.localOrig === true ? HINT_SRC : 0) | (e.localResp === true ? HINT_DST : 0);
}

/** Kind code of a pair: periodic (benign baseline), reconnect (most attempts failed) or beacon. */
export function kindOf(p: PairState): number {
  if (p.benign !== null) return 2;
  return p.failed * 2 > p.count ? 1 : 0;
}

/** Why a scored pair is not a finding, by code (0: it is one). */
export const REASONS: readonly (string | null)[] = [null, 'score below alert_threshold', 'below min_beacon_interval', 'above max_beacon_interval', 'inbound'];
