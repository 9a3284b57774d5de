import { describeEvidence } from '@beacon/scoring';
import type { BeaconItem } from './beaconItem.js';
import type { Detection } from './detection.js';
import { protocolName } from './event.js';

const num = (x: number): number => (Number.isFinite(x) ? x : 0);
const iso = (sec: number): string => new Date(Math.round(sec * 1000)).toISOString();

/**
 * Converts a {@link Detection} to the original's beacon item wire shape (snake_case, ISO 8601
 * UTC timestamps ending in `Z`, non-finite numbers written as 0 so the JSON stays valid).
 * Used by the HTTP API and the alert sinks.
 * @example
 * detector.on('alert', ({ detection }) => send(JSON.stringify(toBeaconItem(detection))));
 */
export function toBeaconItem(d: Detection): BeaconItem {
  const r = d.result;
  const s = r.stats;
  const period = r.periodSeconds;
  const size = r.explanation.signals.find((x) => x.name === 'size');
  const item: BeaconItem = {
    pair_key: d.pairKey,
    src_ip: d.srcIp,
    dst_ip: d.dstIp,
    dst_port: d.dstPort,
    protocol: protocolName(d.protocol),
    cv_score: r.components.cv,
    periodicity_score: r.components.periodicity,
    jitter_score: r.components.jitter,
    size_score: r.components.size,
    combined_score: r.score,
    is_beacon: d.isBeacon,
    direction: d.direction,
    kind: d.kind,
    reason: d.reason,
    confidence: r.severity.toLowerCase(),
    connection_count: d.connectionCount,
    duration_seconds: num(d.lastSeen - d.firstSeen),
    first_seen: iso(d.firstSeen),
    last_seen: iso(d.lastSeen),
    analysis_time: iso(d.analyzedAt),
    benign_label: d.benignLabel,
    interval_stats: {
      count: s.count,
      mean: num(s.mean),
      std_dev: num(s.stdDev),
      cv: num(s.cv),
      median: num(s.median),
      min_interval: num(s.min),
      max_interval: num(s.max),
      jitter: num(s.jitter),
    },
    periodicity_result: {
      is_periodic: r.components.periodicity >= 0.5,
      dominant_period: period,
      periodicity_score: r.components.periodicity,
      frequency_peaks: period !== null && period > 0 ? [1 / period] : [],
    },
    explanation: {
      detected_interval_seconds: period,
      interval_mean_seconds: num(s.mean),
      interval_std_seconds: num(s.stdDev),
      dominant_fft_period_seconds: period,
      jitter_seconds: num(s.jitter),
      packet_size_cv: num(size?.rawValue ?? 0),
      sample_count: d.sampleCount,
      observation_window_seconds: d.windowSeconds,
      contributing_signals: r.explanation.signals.map((x) => ({
        name: x.name,
        score: num(x.score),
        weight: num(x.weight),
        contribution: num(x.contribution),
        raw_value: num(x.rawValue),
        threshold: num(x.threshold),
      })),
      signals_above_threshold: r.explanation.signals.filter((x) => x.score >= 0.5).map((x) => x.name),
      summary: r.explanation.summary,
    },
  };
  const ev = r.explanation.evidence;
  if (ev !== undefined) {
    item.explanation.evidence = {
      intervals: num(ev.intervals),
      p_value: num(ev.pValue),
      cap: num(ev.cap),
      limited: ev.limited,
      uncapped_confidence: ev.uncappedSeverity.toLowerCase(),
      outside_bounds: num(ev.outsideBounds),
      p_bounded: num(ev.pBounded),
      bounded_sleep: num(ev.boundedSleep),
      bounded_sleep_drove: ev.boundedDrove,
      note: describeEvidence(ev),
    };
  }
  if (d.serverName !== undefined) item.server_name = d.serverName;
  if (d.dstIps !== undefined) item.dst_ips = d.dstIps;
  if (d.namePairKey !== undefined) item.name_pair_key = d.namePairKey;
  return item;
}
