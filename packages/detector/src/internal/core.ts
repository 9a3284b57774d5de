import type { EventEmitter } from 'eventemitter3';
import type { Weights } from '@beacon/scoring';
import type { DetectorConfig } from '../config.js';
import type { Detection } from '../detection.js';
import type { CooldownSnapshot } from '../detectorState.js';
import type { DetectorEvents, EvictionReason } from '../detectorEvents.js';
import { pairKey } from '../event.js';
import type { IngestOutcome, RejectReason } from '../ingestResult.js';
import { Allowlist, benignLabel } from './allowlist.js';
import type { Failure } from './checkEvent.js';
import { ADDRESS_FAILURES, checkEvent } from './checkEvent.js';
import { parseIp } from './ip.js';
import { OpenFlows } from './openFlows.js';
import type { PairState } from './pairState.js';
import { Place, place } from './pairState.js';
import { PairTable } from './pairTable.js';
import { Scratch } from './scoreWindow.js';

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
const DEFAULT_WEIGHTS_KEY = '0.35,0.35,0.15,0.15';

/** Rejection of the most recent `ingestEvent` call (for batch issue reporting). */
export interface LastFailure {
  failure: Failure | null;
}

/** All mutable detector state, shared by the facade and the internal modules. */
export class Core {
  cfg: DetectorConfig;
  table: PairTable;
  readonly openFlows: OpenFlows;
  allowlist: Allowlist;
  /** Pair keys the allowlist matched, so repeat events skip the rule checks. */
  readonly allowCache: Set<string> = new Set();
  readonly beacons: Map<string, Detection> = new Map();
  readonly cooldowns: Map<string, CooldownSnapshot> = new Map();
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
    this.openFlows = new OpenFlows(cfg.maxOpenFlows);
    this.allowlist = new Allowlist(cfg.allowlist);
    this.scratch = new Scratch(cfg.maxHistory);
    this.weights = weightsFor(cfg);
  }

  /** Places one event. On rejection sets `lastFailure` and returns the reason. Hot path. */
  ingestEvent(e: unknown): IngestOutcome {
    const bad = checkEvent(e);
    if (bad !== null) return this.reject(bad);
    const ev = e as { tsSec: number; tsNsec: number; srcIp: string; dstIp: string; srcPort: number; dstPort: number; protocol: number; kind: string; bytes: number; durationSec?: number };
    let p = this.table.find(ev.srcIp, ev.dstIp, ev.dstPort, ev.protocol);
    if (p === undefined) {
      const key = pairKey(ev.srcIp, ev.dstIp, ev.dstPort, ev.protocol);
      if (this.allowCache.has(key)) {
        this.counters.allowlisted++;
        return 'allowlisted';
      }
      if (parseIp(ev.srcIp) === null) return this.reject(ADDRESS_FAILURES.src);
      if (parseIp(ev.dstIp) === null) return this.reject(ADDRESS_FAILURES.dst);
      if (this.allowlist.matches(ev.srcIp, ev.dstIp, ev.dstPort)) {
        if (this.allowCache.size >= ALLOW_CACHE_MAX) this.allowCache.clear();
        this.allowCache.add(key);
        this.counters.allowlisted++;
        return 'allowlisted';
      }
      if (this.table.size >= this.cfg.maxPairs) this.evictLru();
      p = this.table.create(key, ev.srcIp, ev.dstIp, ev.dstPort, ev.protocol, benignLabel(this.cfg.benignBaseline, ev.dstPort, ev.protocol));
    } else this.table.touch(p);
    const t = ev.tsSec + ev.tsNsec / 1e9;
    if (ev.kind === 'flow_end') {
      const d = this.openFlows.close(p, ev.srcPort, t, ev.durationSec);
      if (!this.openFlows.lastKnown) p.count++; // a flow we never saw start still was a connection
      const start = d > 0 ? t - d : t;
      if (start < p.firstSeen) p.firstSeen = start;
      if (t > p.lastSeen) p.lastSeen = t;
      if (d > p.maxFlowSec) p.maxFlowSec = d;
      if (d >= this.cfg.minDuration) p.longFlows++;
      this.counters.recordsAdded++;
      return 'accepted';
    }
    const tMs = ev.tsSec * 1000 + Math.floor(ev.tsNsec / 1e6);
    const r = place(p, tMs, ev.bytes, this.cfg.maxHistory, this.cfg.outOfOrderTolerance * 1000, this.counters.historyEvictions);
    if (r === Place.TooLate) return this.reject(TOO_LATE);
    if (r === Place.Dropped) {
      this.counters.historyFull++;
      return 'history_full';
    }
    p.count++;
    if (t > p.lastSeen) p.lastSeen = t;
    if (t < p.firstSeen) p.firstSeen = t;
    p.dirty = true;
    const evicted = ev.kind === 'flow_start' ? this.openFlows.open(p, ev.srcPort, t) : this.openFlows.touch(p, ev.srcPort, t);
    if (evicted !== null) {
      this.counters.openFlowEvictions++;
      this.emitter.emit('evicted', { reason: 'max_open_flows', pairKey: evicted.pair.key, records: 0 });
    }
    this.counters.recordsAdded++;
    return 'accepted';
  }

  private reject(f: Failure): RejectReason {
    this.counters.rejections[f.reason]++;
    this.lastFailure = f;
    return f.reason;
  }

  /** Evicts the least recently seen pair. */
  evictLru(): void {
    const victim = this.table.tail;
    if (!victim) return;
    this.counters.pairEvictions++;
    this.removePair(victim, 'max_pairs');
  }

  /** Removes a pair with everything known about it, and reports it. */
  removePair(p: PairState, reason: EvictionReason): void {
    const records = p.len;
    this.table.remove(p);
    this.beacons.delete(p.key);
    this.cooldowns.delete(p.key);
    this.emitter.emit('evicted', { reason, pairKey: p.key, records });
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
    this.allowCache.clear();
    this.weights = weightsFor(next);
    for (const p of [...this.table.map.values()]) {
      if (this.allowlist.matches(p.srcIp, p.dstIp, p.dstPort)) {
        this.counters.allowlisted += p.len;
        this.table.remove(p);
        this.beacons.delete(p.key);
        this.cooldowns.delete(p.key);
        continue;
      }
      p.benign = benignLabel(next.benignBaseline, p.dstPort, p.protocol);
    }
    while (this.table.size > next.maxPairs) this.evictLru();
  }
}

const TOO_LATE: Failure = { reason: 'too_late', path: 'tsSec' };

function weightsFor(cfg: DetectorConfig): Weights | undefined {
  const w = cfg.weights;
  return `${w.cv},${w.periodicity},${w.jitter},${w.size}` === DEFAULT_WEIGHTS_KEY ? undefined : w;
}
