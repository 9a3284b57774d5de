import type { BeaconItem } from '@beacon/detector';
import type { Alert } from './alert.js';
import { AlertingError } from './alertingError.js';
import { describeBeacon } from './internal/describe.js';
import { severityFromScore } from './severity.js';

/** Options of {@link createAlert}. */
export interface CreateAlertOptions {
  /**
   * Clock, in milliseconds since the epoch; sets `timestamp` and the epoch in `alert_id`.
   * @default Date.now
   */
  now?: () => number;
  /**
   * The alert's `source`.
   * @default 'beacon_detector'
   */
  source?: string;
  /**
   * Tags added after the built-in ones (`beacon`, the severity, the protocol in lower case,
   * and `benign` when a baseline matched).
   * @default []
   */
  tags?: readonly string[];
}

/**
 * Builds the alert for one scored pair. Severity comes from `combined_score`
 * (see {@link severityFromScore}); the description names the pair, score, period, counts,
 * first/last seen and the signals that drove the score.
 *
 * @throws {@link AlertingError} `INVALID_ALERT` when the item has no pair key, addresses or a
 * finite score.
 *
 * @example
 * ```ts
 * const alert = createAlert(item);
 * dispatcher.enqueue(alert);
 * ```
 */
export function createAlert(item: BeaconItem, options: CreateAlertOptions = {}): Alert {
  const { now = Date.now, source = 'beacon_detector', tags = [] } = options;
  validateItem(item);
  const ms = now();
  if (!Number.isFinite(ms)) throw new AlertingError('INVALID_OPTIONS', `createAlert: clock returned ${ms}, not a time`);
  const severity = severityFromScore(item.combined_score);
  const builtIn = ['beacon', severity, item.protocol.toLowerCase()];
  if (item.benign_label) builtIn.push('benign');
  return {
    alert_id: `beacon-${item.pair_key}-${Math.floor(ms / 1000)}`,
    title: `Beaconing Detected: ${item.src_ip} -> ${item.dst_ip}:${item.dst_port}`,
    description: describeBeacon(item, severity),
    severity,
    source,
    details: item,
    timestamp: new Date(ms).toISOString(),
    tags: [...new Set([...builtIn, ...tags])],
  };
}

function validateItem(item: BeaconItem): void {
  if (typeof item !== 'object' || item === null) {
    throw new AlertingError('INVALID_ALERT', `createAlert: expected a beacon item object, got ${item === null ? 'null' : typeof item}`);
  }
  const problems: string[] = [];
  for (const key of ['pair_key', 'src_ip', 'dst_ip', 'protocol'] as const) {
    if (typeof item[key] !== 'string' || item[key] === '') problems.push(`${key} must be a non-empty string`);
  }
  if (typeof item.combined_score !== 'number' || !Number.isFinite(item.combined_score)) {
    problems.push(`combined_score must be a finite number (got ${String(item.combined_score)})`);
  }
  if (problems.length > 0) {
    throw new AlertingError('INVALID_ALERT', `createAlert: invalid beacon item: ${problems.join('; ')}`);
  }
}
