import type { EventEmitter } from 'eventemitter3';
import { DEFAULT_WEIGHTS, type Weights } from '@beacon/scoring';
import type { DetectorConfig } from '../config.js';
import type { DetectorEvents, EvictionReason } from '../detectorEvents.js';
import { pairKey } from '../event.js';
import type { IngestOutcome, RejectReason } from '../ingestResult.js';
import { Allowlist } from './allowlist.js';
import { Baseline } from './baseline.js';
import type { Failure } from './checkEvent.js';
import { ADDRESS_FAILURES, checkEvent } from './checkEvent.js';
import { parseIp } from './ip.js';
import { IpSet } from './ipSet.js';
import { hintOf } from './direction.js';
import { isFailedAttempt } from '../event.js';
import { BeaconSlab } from './beaconRecord.js';
import { OpenFlows } from './openFlows.js';
import type { PairState } from './pairState.js';
import { Place, place } from './pairState.js';
import { PairTable } from './pairTable.js';
import { Scratch } from './scoreWindow.js';
import { keyableName, MAX_NAME_ADDRESSES } from './serverNames.js';

/** Lifetime counters. */
export class Counters {
  recordsAdded = 0;
  recordsExpired = 0;
  batches = 0;
  /** [0]: history entries lost to the ring cap (a typed array so `place` can bump it). */
  readonly historyEvictions: Float64Array = new Float64Array(1);
  pairEvictions = 0;
  openFlowEvictions = 0;
  expiredPairs = 0;
  allowlisted = 0;
  /** Name-keyed pairs created (they count against maxPairs like address pairs). */
  namePairs = 0;
  historyFull = 0;
  totalRuns = 0;
  totalBeacons = 0;
  totalAlerts = 0;
  totalSuppressed = 0;
  readonly rejections: Record<RejectReason, number> = {
    invalid_event: 0,
    invalid_time: 0,
    invalid_address: 0,
    invalid_port: 0,
    invalid_protocol: 0,
    invalid_kind: 0,
    invalid_size: 0,
    too_late: 0,
  };
}

const ALLOW_CACHE_MAX = 65_536;
/** Most slots of the pair-hint cache (8 MiB of references). */
const HINT_CACHE_MAX = 1 << 20;
const weightsKey = (w: Weights): string => `${w.cv},${w.periodicity},${w.jitter},${w.size}`;
const DEFAULT_WEIGHTS_KEY = weightsKey(DEFAULT_WEIGHTS);
/** The pair and open-flow caps evict this fraction of the cap at once (at least one). */
const EVICT_FRACTION = 1 / 64;
/** Open-flow eviction costs O(1) per flow (a clock queue), so its batches stay small too. */
const FLOW_EVICT_FRACTION = 1 / 64;

/** A checked event as the core reads it. */
interface Ev {
  tsSec: number;
  tsNsec: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  kind: string;
  bytes: number;
  tcpFlags: number;
  durationSec?: number;
  localOrig?: boolean;
  localResp?: boolean;
  failed?: boolean;
  serverName?: string;
}

/** All mutable detector state, shared by the facade and the internal modules. */
export class Core {
  cfg: DetectorConfig;
  table: PairTable;
  readonly openFlows: OpenFlows;
  allowlist: Allowlist;
  /** The compiled benign baseline (patterns, then multicast/broadcast). */
  baseline: Baseline;
  /** The compiled `internalNetworks`: addresses that are ours. */
  internal: IpSet;
  /** Pair keys the allowlist matched, so repeat events skip the rule checks. */
  readonly allowCache: Set<string> = new Set();
  /** Known beacons: compact records, one row per pair with `beaconRow >= 0`. */
  readonly beacons: BeaconSlab = new BeaconSlab();
  beaconCount = 0;
  cooldownCount = 0;
  /**
   * Whether removals are recorded for state deltas: from the first `exportDelta` or an import on.
   * Before that the store holds nothing to remove, and an unread set would grow without bound.
   */
  tracking = false;
  /** Keys removed since the last state delta (pairs, beacons, cooldowns). */
  readonly removedPairs: Set<string> = new Set();
  readonly removedBeacons: Set<string> = new Set();
  readonly removedCooldowns: Set<string> = new Set();
  readonly counters: Counters = new Counters();
  scratch: Scratch;
  /** Weights for scorePair, or undefined for the defaults (skips re-normalising). */
  weights: Weights | undefined;
  lastFailure: Failure | null = null;
  running = false;

  constructor(
    cfg: DetectorConfig,
    readonly emitter: EventEmitter<DetectorEvents>,
    readonly now: () => number,
  ) {
    this.cfg = cfg;
    this.table = new PairTable(cfg.maxHistory, cfg.maxPairs);
    this.openFlows = new OpenFlows(cfg.maxOpenFlows, this.table.bySlot);
    this.allowlist = new Allowlist(cfg.allowlist);
    this.baseline = new Baseline(cfg.benignBaseline);
    this.internal = new IpSet(cfg.internalNetworks);
    this.scratch = new Scratch(cfg.maxHistory);
    this.weights = weightsFor(cfg);
  }

  /** Checks and places one event. On rejection sets `lastFailure` and returns the reason. Hot path. */
  ingestEvent(e: unknown, hint = -1): IngestOutcome {
    const bad = checkEvent(e);
    if (bad !== null) return this.reject(bad);
    return this.accept(e as Ev, false, hint);
  }

  /**
   * Places one event already known to be well formed (`trusted`: checked by a boundary
   * decoder, so address syntax is not re-checked at pair creation either).
   */
  accept(ev: Ev, trusted: boolean, hint = -1): IngestOutcome {
    const name = ev.serverName;
    if (name === undefined) return this.acceptAddress(ev, trusted, hint);
    if (!this.allowlist.names.empty && this.allowlist.names.has(name)) {
      this.counters.allowlisted++;
      return 'allowlisted';
    }
    const out = this.acceptAddress(ev, trusted, hint);
    if (out === 'accepted') this.acceptName(ev, name);
    return out;
  }

  /** The address pair of the last accepted event. */
  private lastPair: PairState | undefined;

  /**
   * Places a named event on its name-keyed pair (src, name, dst port, protocol) too, and links
   * the address pair to the name. An address-literal name keys nothing.
   */
  private acceptName(ev: Ev, name: string): void {
    const addr = this.lastPair as PairState;
    const table = this.table;
    // Hot paths: the address pair's last name again costs one string compare. Seen from this
    // source on this address only so far: nothing more to do. Linked to its live name-keyed
    // pair: that pair already lists this address, so the event is placed there directly (no
    // name hashed or looked up, no list searched, and the event's string is not kept).
    if (addr.serverName === name) {
      if (addr.nameSolo) return;
      const linked = addr.namePair;
      if (linked !== undefined && linked.slot >= 0 && linked.serverName === addr.serverName) {
        linked.stamp = ++table.tick;
        linked.persist = true;
        this.place(linked, ev);
        return;
      }
    } else addr.serverName = name;
    if (!keyableName(name, ev.dstIp)) return;
    let p = table.find(ev.srcIp, name, ev.dstPort, ev.protocol);
    if (p !== undefined && !p.named) return; // cannot happen for keyable names; never mix kinds
    if (p === undefined) {
      // The name-keyed pair is made only once the name shows up on a second address; until then
      // the address pair stands for it (same events), and the name is remembered as solo.
      const first = this.soloPartner(addr, name);
      if (first === undefined) {
        addr.nameSolo = true;
        addr.namePair = undefined;
        return;
      }
      if (table.size >= this.cfg.maxPairs) this.evictPairs(table.size - this.cfg.maxPairs + Math.max(1, Math.floor(this.cfg.maxPairs * EVICT_FRACTION)));
      if (first.slot < 0 || addr.slot < 0) return; // evicted just now
      const key = pairKey(ev.srcIp, name, ev.dstPort, ev.protocol);
      p = table.create(key, ev.srcIp, name, ev.dstPort, ev.protocol, this.baseline.labelOf(ev.dstIp, ev.dstPort, ev.protocol, name));
      p.named = true;
      p.hint = hintOf(ev);
      p.serverName = name;
      p.dstIps = [first.dstIp, ev.dstIp];
      this.counters.namePairs++;
      this.removedPairs.delete(key);
      this.seedFrom(p, first);
      first.nameSolo = false;
      first.namePair = p;
      this.unlistSolo(first);
    } else {
      p.stamp = ++table.tick;
      p.persist = true;
      const ips = p.dstIps ?? (p.dstIps = []);
      if (ips[ips.length - 1] !== ev.dstIp && !ips.includes(ev.dstIp) && ips.length < MAX_NAME_ADDRESSES) ips.push(ev.dstIp);
    }
    addr.nameSolo = false;
    addr.namePair = p;
    // the pair's own string: later compares against it are one pointer check
    addr.serverName = p.serverName;
    this.place(p, ev);
  }

  /** Address pairs whose name was seen on one address only, by name (each list short: one per source/port). */
  private readonly solo = new Map<string, PairState[]>();

  /**
   * Another live address pair of the same source, port and protocol that carries `name` alone;
   * registers `addr` as solo for `name` when there is none.
   */
  private soloPartner(addr: PairState, name: string): PairState | undefined {
    const list = this.solo.get(name);
    if (list === undefined) {
      this.solo.set(name, [addr]);
      return undefined;
    }
    let found: PairState | undefined;
    let w = 0;
    for (let i = 0; i < list.length; i++) {
      const q = list[i] as PairState;
      if (q.slot < 0 || !q.nameSolo || q.serverName !== name) continue; // gone or renamed: drop it
      list[w++] = q;
      if (found === undefined && q !== addr && q.srcIp === addr.srcIp && q.dstPort === addr.dstPort && q.protocol === addr.protocol) found = q;
    }
    list.length = w;
    if (found === undefined && !list.includes(addr)) list.push(addr);
    return found;
  }

  private unlistSolo(q: PairState): void {
    const name = q.serverName;
    if (name === undefined) return;
    const list = this.solo.get(name);
    if (list === undefined) return;
    const i = list.indexOf(q);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.solo.delete(name);
  }

  /**
   * After an import: links each address pair that carried a name to that name's pair (same
   * source, port and protocol), or marks it as the name's only address so far, as ingestion
   * left them. Rebuilds the solo lists from scratch.
   */
  relinkNames(): void {
    this.solo.clear();
    const table = this.table;
    for (const p of table.map.values()) {
      const name = p.serverName;
      if (p.named || name === undefined) continue;
      p.namePair = undefined;
      p.nameSolo = false;
      if (!keyableName(name, p.dstIp)) continue;
      const q = table.find(p.srcIp, name, p.dstPort, p.protocol);
      if (q !== undefined && q.named) {
        p.namePair = q;
        p.serverName = q.serverName; // the pair's own string, as ingestion leaves it
      } else if (q === undefined) {
        p.nameSolo = true;
        const list = this.solo.get(name);
        if (list === undefined) this.solo.set(name, [p]);
        else list.push(p);
      }
    }
  }

  /** Copies an address pair's history and counts into a new name-keyed pair. */
  private seedFrom(p: PairState, from: PairState): void {
    const cap = this.table.slab.cap;
    const tol = this.cfg.outOfOrderTolerance * 1000;
    const ev = this.counters.historyEvictions;
    for (let i = 0; i < from.len; i++) {
      const at = from.off + ((from.head + i) % cap);
      place(p, 0, from.baseMs + (from.ts[at] as number), from.sz[at] as number, this.cfg.maxHistory, tol, ev);
    }
    p.count = from.count;
    p.firstSeen = from.firstSeen;
    p.lastSeen = from.lastSeen;
    p.maxFlowSec = from.maxFlowSec;
    p.longFlows = from.longFlows;
    p.dirty = true;
  }

  /**
   * Pairs by hint (see `IngestBatchOptions.pairHints`), direct-mapped: a slot holds the pair
   * last found under a hint that maps there, checked against the event before use.
   */
  private hinted: Array<PairState | undefined> | undefined;

  private hintCache(): Array<PairState | undefined> {
    let size = 1024;
    while (size < 2 * this.cfg.maxPairs && size < HINT_CACHE_MAX) size *= 2;
    return (this.hinted = new Array<PairState | undefined>(size).fill(undefined));
  }

  private acceptAddress(ev: Ev, trusted: boolean, hint: number): IngestOutcome {
    const table = this.table;
    let p: PairState | undefined;
    let slot = -1;
    if (hint >= 0) {
      const cache = this.hinted ?? this.hintCache();
      slot = hint & (cache.length - 1);
      p = cache[slot];
      if (p !== undefined && p.slot >= 0 && p.dstPort === ev.dstPort && p.protocol === ev.protocol && p.srcIp === ev.srcIp && p.dstIp === ev.dstIp && !p.named) {
        p.stamp = ++table.tick;
        p.persist = true;
        this.lastPair = p;
        return this.place(p, ev);
      }
    }
    p = table.find(ev.srcIp, ev.dstIp, ev.dstPort, ev.protocol);
    if (p === undefined) {
      const key = pairKey(ev.srcIp, ev.dstIp, ev.dstPort, ev.protocol);
      if (this.allowCache.has(key)) {
        this.counters.allowlisted++;
        return 'allowlisted';
      }
      if (!trusted) {
        if (parseIp(ev.srcIp) === null) return this.reject(ADDRESS_FAILURES.src);
        if (parseIp(ev.dstIp) === null) return this.reject(ADDRESS_FAILURES.dst);
      }
      if (this.allowlist.matches(ev.srcIp, ev.dstIp, ev.dstPort)) {
        if (this.allowCache.size >= ALLOW_CACHE_MAX) this.allowCache.clear();
        this.allowCache.add(key);
        this.counters.allowlisted++;
        return 'allowlisted';
      }
      if (table.size >= this.cfg.maxPairs) this.evictPairs(table.size - this.cfg.maxPairs + Math.max(1, Math.floor(this.cfg.maxPairs * EVICT_FRACTION)));
      p = table.create(key, ev.srcIp, ev.dstIp, ev.dstPort, ev.protocol, this.baseline.labelOf(ev.dstIp, ev.dstPort, ev.protocol, ev.serverName));
      p.hint = hintOf(ev);
      this.removedPairs.delete(key);
    } else {
      p.stamp = ++table.tick;
      p.persist = true;
    }
    if (slot >= 0) (this.hinted as Array<PairState | undefined>)[slot] = p;
    this.lastPair = p;
    return this.place(p, ev);
  }

  /** Adds one event to a pair's history, counts and open flows. */
  private place(p: PairState, ev: Ev): IngestOutcome {
    const t = ev.tsSec + ev.tsNsec / 1e9;
    if (ev.kind === 'flow_end') {
      const d = this.openFlows.close(p, ev.srcPort, t, durationOf(ev));
      // a flow we never saw start still was a connection; one the cap made us forget was counted
      if (!this.openFlows.lastKnown) {
        if (p.forgotten > 0) p.forgotten--;
        else p.count++;
      }
      if (ev.protocol === 6 && isFailedAttempt(ev as Parameters<typeof isFailedAttempt>[0])) p.failed++;
      const start = d > 0 ? t - d : t;
      if (start < p.firstSeen) p.firstSeen = start;
      if (t > p.lastSeen) p.lastSeen = t;
      if (d > p.maxFlowSec) p.maxFlowSec = d;
      if (d >= this.cfg.minDuration) p.longFlows++;
      this.counters.recordsAdded++;
      return 'accepted';
    }
    const r = place(p, ev.tsSec, Math.floor(ev.tsNsec / 1e6), ev.bytes, this.cfg.maxHistory, this.cfg.outOfOrderTolerance * 1000, this.counters.historyEvictions);
    if (r === Place.TooLate) return this.reject(TOO_LATE);
    if (r === Place.Dropped) {
      this.counters.historyFull++;
      return 'history_full';
    }
    p.count++;
    if (ev.protocol === 6 && ev.kind === 'flow_start' && isFailedAttempt(ev as Parameters<typeof isFailedAttempt>[0])) p.failed++;
    if (t > p.lastSeen) p.lastSeen = t;
    if (t < p.firstSeen) p.firstSeen = t;
    p.dirty = true;
    // (read as it is: a value that may be a number or undefined would be boxed for the checks)
    const d = ev.durationSec;
    if (d !== undefined && d === d && ev.kind === 'flow_start') {
      // a whole connection in one record (a Zeek conn.log row): its duration is known, nothing stays open
      if (d > p.maxFlowSec) p.maxFlowSec = d;
      if (d >= this.cfg.minDuration) p.longFlows++;
    } else if (this.openFlows.open(p, ev.srcPort, t, ev.kind !== 'flow_start')) this.evictFlows();
    this.counters.recordsAdded++;
    return 'accepted';
  }

  private reject(f: Failure): RejectReason {
    this.counters.rejections[f.reason]++;
    this.lastFailure = f;
    return f.reason;
  }

  /** Evicts the `k` least recently seen pairs, each counted and emitted. */
  evictPairs(k: number): void {
    const victims = this.table.oldest(k);
    this.counters.pairEvictions += victims.length;
    this.removePairs(victims, 'max_pairs');
  }

  private evictFlows(): void {
    const pairs = this.openFlows.evictOldest(Math.max(1, Math.floor(this.cfg.maxOpenFlows * FLOW_EVICT_FRACTION)));
    this.counters.openFlowEvictions += pairs.length;
    // flows churn with every connection: build the events only when someone listens
    if (this.emitter.listenerCount('evicted') > 0) for (const p of pairs) this.emitter.emit('evicted', { reason: 'max_open_flows', pairKey: p.key, records: 0 });
  }

  /**
   * Removes pairs with everything known about them (history, beacon, cooldown, open flows, at
   * once), and reports each. `records` of the event is the history dropped.
   */
  removePairs(victims: readonly PairState[], reason: EvictionReason | null): void {
    let flows = false;
    for (const p of victims) {
      if (p.slot < 0) continue;
      if (p.openFlows > 0) flows = true;
      this.forget(p);
    }
    if (flows) this.openFlows.dropRemoved();
    if (reason !== null && this.emitter.listenerCount('evicted') > 0) for (const p of victims) this.emitter.emit('evicted', { reason, pairKey: p.key, records: p.len });
  }

  /** Drops a pair's beacon record and cooldown (recorded for the next state delta). */
  clearBeacon(p: PairState, cooldownToo: boolean): void {
    if (p.beaconRow >= 0) {
      this.beacons.release(p.beaconRow);
      p.beaconRow = -1;
      p.beaconDirty = false;
      this.beaconCount--;
      if (this.tracking) this.removedBeacons.add(p.key);
    }
    if (cooldownToo && p.cdRank >= 0) {
      p.cdRank = -1;
      p.cooldownDirty = false;
      this.cooldownCount--;
      if (this.tracking) this.removedCooldowns.add(p.key);
    }
  }

  private forget(p: PairState): void {
    if (p.nameSolo) this.unlistSolo(p);
    this.clearBeacon(p, true);
    this.table.remove(p);
    if (this.tracking) this.removedPairs.add(p.key);
  }

  /** Forgets every beacon and cooldown. */
  clearBeacons(): void {
    for (const p of this.table.map.values()) this.clearBeacon(p, true);
  }

  /** Rebuilds what depends on the config after `updateConfig`. */
  applyConfig(next: DetectorConfig): void {
    const prev = this.cfg;
    this.cfg = next;
    if (next.maxHistory !== prev.maxHistory) {
      this.counters.historyEvictions[0] = (this.counters.historyEvictions[0] as number) + this.table.resize(next.maxHistory, next.maxPairs);
      this.scratch = new Scratch(next.maxHistory);
    }
    this.openFlows.cap = next.maxOpenFlows;
    this.allowlist = new Allowlist(next.allowlist);
    this.baseline = new Baseline(next.benignBaseline);
    this.internal = new IpSet(next.internalNetworks);
    this.allowCache.clear();
    this.weights = weightsFor(next);
    const purged: PairState[] = [];
    for (const p of this.table.map.values()) {
      if (this.allowlist.matches(p.srcIp, p.dstIp, p.dstPort) || (p.serverName !== undefined && this.allowlist.names.has(p.serverName))) {
        this.counters.allowlisted += p.len;
        purged.push(p);
        continue;
      }
      p.benign = this.baseline.labelOf(p.named ? (p.dstIps?.[0] ?? p.dstIp) : p.dstIp, p.dstPort, p.protocol, p.serverName);
      p.direction = -1;
    }
    this.removePairs(purged, null);
    if (this.table.size > next.maxPairs) this.evictPairs(this.table.size - next.maxPairs);
    if (this.openFlows.size > next.maxOpenFlows) this.evictFlows();
  }
}

const TOO_LATE: Failure = { reason: 'too_late', path: 'tsSec' };

/**
 * An event's duration; NaN counts as absent (on the trusted path only: checked events cannot
 * carry NaN). Readers that reuse event objects write NaN rather than undefined, so the field
 * keeps holding numbers and storing one allocates nothing.
 */
function durationOf(ev: Ev): number | undefined {
  const d = ev.durationSec;
  return d === d ? d : undefined;
}

function weightsFor(cfg: DetectorConfig): Weights | undefined {
  const w = cfg.weights;
  return weightsKey(w) === DEFAULT_WEIGHTS_KEY ? undefined : w;
}
