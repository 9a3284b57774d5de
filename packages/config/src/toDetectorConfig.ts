import type { DetectorConfigInput } from '@beacon/detector';
import type { BeaconConfig } from './schema.js';

/** The subset of sections that configure the detector; each may be partial (an API update). */
export type DetectorSections = {
  [K in 'detection' | 'control_plane' | 'whitelist' | 'benign_baseline']?: Partial<BeaconConfig[K]>;
};

function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * Maps the file's snake_case sections to the detector's camelCase configuration. Keys that are
 * not set are left out, so the detector's own defaults apply (one source of truth).
 */
export function toDetectorConfig(config: DetectorSections): DetectorConfigInput {
  const out: DetectorConfigInput = {};
  const d = config.detection ?? {};
  set(out, 'minConnections', d.min_connections);
  set(out, 'minDuration', d.min_duration);
  set(out, 'timeWindow', d.time_window);
  set(out, 'cvThreshold', d.cv_threshold);
  set(out, 'alertThreshold', d.alert_threshold);
  set(out, 'jitterThreshold', d.jitter_threshold);
  set(out, 'analysisInterval', d.analysis_interval);
  set(out, 'alertCooldown', d.alert_cooldown);
  set(out, 'minBeaconInterval', d.min_beacon_interval);
  set(out, 'maxBeaconInterval', d.max_beacon_interval);
  set(out, 'maxPairs', d.max_pairs);
  set(out, 'maxHistory', d.max_history);
  const weights: NonNullable<DetectorConfigInput['weights']> = {};
  set(weights, 'cv', d.cv_weight);
  set(weights, 'periodicity', d.periodicity_weight);
  set(weights, 'jitter', d.jitter_weight);
  set(weights, 'size', d.size_weight);
  if (Object.keys(weights).length > 0) out.weights = weights;
  const cp = config.control_plane ?? {};
  set(out, 'dataRetention', cp.data_retention);
  set(out, 'cleanupInterval', cp.cleanup_interval);
  const w = config.whitelist;
  if (w) {
    const ports = [...(w.ports ?? []), ...(w.destination_ports ?? [])];
    out.allowlist = {};
    set(out.allowlist, 'sourceIps', w.source_ips);
    set(out.allowlist, 'destinationIps', w.destination_ips);
    if (w.ports !== undefined || w.destination_ports !== undefined) out.allowlist.destinationPorts = [...new Set(ports)];
    set(out.allowlist, 'pairs', w.pairs);
    set(out.allowlist, 'serverNames', w.server_names);
  }
  const b = config.benign_baseline;
  if (b) {
    out.benignBaseline = {};
    set(out.benignBaseline, 'enabled', b.enabled);
    set(out.benignBaseline, 'multicast', b.multicast);
    if (b.patterns && b.patterns.length > 0)
      out.benignBaseline.patterns = b.patterns.map((p) => {
        const pattern: NonNullable<NonNullable<DetectorConfigInput['benignBaseline']>['patterns']>[number] = { label: p.label };
        set(pattern, 'dstPort', p.dst_port);
        set(pattern, 'protocol', p.protocol);
        set(pattern, 'dstIps', p.dst_ips);
        set(pattern, 'serverNames', p.server_names);
        return pattern;
      });
  }
  return out;
}
