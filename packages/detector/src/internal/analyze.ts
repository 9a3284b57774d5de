import { randomUUID } from 'node:crypto';
import type { ScoreResult } from '@beacon/scoring';
import type { AnalysisReport, AnalysisRun } from '../analysisRun.js';
import type { Detection } from '../detection.js';
import { DetectorError } from '../detectorError.js';
import { decideAlert } from './alertGate.js';
import { BeaconSlab, rankOf } from './beaconRecord.js';
import type { Core } from './core.js';
import type { PairState } from './pairState.js';
import type { RunBeacons } from './report.js';
import { lazyReport } from './report.js';
import { scoreWindow } from './scoreWindow.js';
import { DIRECTIONS, INBOUND, KINDS, REASONS, directionOf, kindOf } from './direction.js';
import { withNameFields } from './nameFields.js';

const iso = (sec: number): string => new Date(sec * 1000).toISOString();

function detectionOf(p: PairState, r: ScoreResult, reason: number, kind: number, samples: number, windowSeconds: number, at: number): Detection {
  const d: Detection = {
    pairKey: p.key,
    srcIp: p.srcIp,
    dstIp: p.dstIp,
    dstPort: p.dstPort,
    protocol: p.protocol,
    result: r,
    isBeacon: reason === 0,
    direction: DIRECTIONS[p.direction] ?? 'external',
    kind: KINDS[kind] ?? 'beacon',
    reason: REASONS[reason] ?? null,
    benignLabel: p.benign,
    connectionCount: p.count,
    sampleCount: samples,
    windowSeconds,
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    analyzedAt: at,
  };
  return p.serverName === undefined ? d : withNameFields(d, p);
}

/**
 * One analysis run: re-scores only pairs with new events, gates alerts, emits events. A
 * `Detection` is built only for a listener; the report's beacon list is built from the run's
 * compact records when first read (see `lazyReport`).
 */
export function analyze(core: Core): AnalysisReport {
  const started = core.now();
  const t0 = performance.now();
  const cfg = core.cfg;
  const em = core.emitter;
  const onScored = em.listenerCount('scored') > 0;
  const onBeacon = em.listenerCount('beacon') > 0;
  const onAlert = em.listenerCount('alert') > 0;
  const scratch = core.scratch;
  let analyzed = 0;
  let skipped = 0;
  let suppressed = 0;
  let detected = 0;
  let alerts = 0;
  let errors = 0;
  const found: RunBeacons = { records: new BeaconSlab(), pairs: [], benign: [], built: undefined };
  // A scan of the map (about 1 ms per 100,000 pairs) rather than a dirty list, which would
  // keep evicted pairs alive between runs.
  for (const p of core.table.map.values()) {
    if (!p.dirty) continue;
    p.dirty = false;
    // A name seen on one address only has exactly its address pair's events: scoring it again
    // would add nothing but cost. It is scored once it spans two addresses.
    if (p.named && (p.dstIps === undefined || p.dstIps.length < 2)) continue;
    let r;
    try {
      r = scoreWindow(p, cfg, scratch, core.weights);
    } catch (cause) {
      errors++;
      const msg = cause instanceof Error ? cause.message : String(cause);
      em.emit('error', new DetectorError('ANALYSIS_FAILED', `scoring pair ${p.key} failed: ${msg}`, { cause }));
      continue;
    }
    if (r === null) {
      skipped++;
      continue;
    }
    analyzed++;
    const period = r.periodSeconds ?? scratch.medianInterval();
    p.period = period;
    const kind = kindOf(p);
    const direction = directionOf(p, core.internal);
    // A reconnect loop is a finding whatever its period; min/max_beacon_interval bound the rest.
    const reason =
      r.score < cfg.alertThreshold
        ? 1
        : kind !== 1 && period < cfg.minBeaconInterval
          ? 2
          : kind !== 1 && period > cfg.maxBeaconInterval
            ? 3
            : direction === INBOUND && !cfg.alertOnInbound
              ? 4
              : 0;
    const isBeacon = reason === 0;
    const samples = scratch.samples;
    const windowSeconds = scratch.windowSeconds;
    let det: Detection | undefined;
    if (onScored) {
      det = detectionOf(p, r, reason, kind, samples, windowSeconds, started);
      em.emit('scored', det);
    }
    if (!isBeacon) {
      core.clearBeacon(p, false);
      continue;
    }
    if (p.beaconRow < 0) {
      p.beaconRow = core.beacons.alloc();
      core.beaconCount++;
      core.removedBeacons.delete(p.key);
    }
    const row = found.records.alloc();
    found.records.writeResult(row, r, true, p.count, samples, windowSeconds, p.firstSeen, p.lastSeen, started, direction, kind);
    found.pairs.push(p);
    found.benign.push(p.benign);
    core.beacons.copyRow(p.beaconRow, found.records, row);
    p.beaconDirty = true;
    if (p.benign === null) detected++;
    if (onBeacon) {
      det ??= detectionOf(p, r, reason, kind, samples, windowSeconds, started);
      em.emit('beacon', det);
    }
    const decision = decideAlert(r.score, r.severity, p, started, cfg.alertCooldown);
    if (decision === 'new' || decision === 'score_rise' || decision === 'severity_up') {
      alerts++;
      if (p.cdRank < 0) {
        core.cooldownCount++;
        core.removedCooldowns.delete(p.key);
      }
      p.cdAt = started;
      p.cdScore = r.score;
      p.cdRank = rankOf(r.severity);
      p.cooldownDirty = true;
      if (onAlert) {
        det ??= detectionOf(p, r, reason, kind, samples, windowSeconds, started);
        em.emit('alert', { detection: det, reason: decision });
      }
    } else suppressed++;
    if (det !== undefined) (found.built ??= [])[row] = det;
  }
  const c = core.counters;
  c.totalRuns++;
  c.totalBeacons += detected;
  c.totalAlerts += alerts;
  c.totalSuppressed += suppressed;
  const durationSeconds = (performance.now() - t0) / 1000;
  const run: AnalysisRun = {
    run_id: randomUUID(),
    start_time: iso(started),
    end_time: iso(started + durationSeconds),
    duration_seconds: durationSeconds,
    pairs_analyzed: analyzed,
    pairs_suppressed: suppressed,
    beacons_detected: detected,
    alerts_generated: alerts,
    pairs_skipped: skipped,
    errors,
  };
  const report = lazyReport(run, found);
  em.emit('analysis', report);
  return report;
}

/**
 * Expires pairs idle (by the detector clock) longer than `max(dataRetention, 3 x period)`.
 * Pairs with open flows are kept: they are still connected. Returns the number expired.
 */
export function cleanup(core: Core): number {
  const now = core.now();
  const retention = core.cfg.dataRetention;
  const expired: PairState[] = [];
  for (const p of core.table.map.values()) {
    if (p.openFlows <= 0 && now - p.lastSeen > Math.max(retention, 3 * p.period)) {
      core.counters.recordsExpired += p.len;
      expired.push(p);
    }
  }
  core.counters.expiredPairs += expired.length;
  core.removePairs(expired, 'expired');
  return expired.length;
}
