import type { BeaconItem } from '@beacon/detector';
import type { AlertSeverity } from './severity.js';

/**
 * One alert, in the JSON shape the original system wrote to its sinks and served at
 * `GET /api/v1/alerts`. Field names are snake_case on purpose: they are a compatibility contract.
 */
export interface Alert {
  /** `beacon-<pair_key>-<epoch seconds>`. */
  alert_id: string;
  /** One line, e.g. `Beaconing Detected: 10.0.0.5 -> 203.0.113.9:443`. */
  title: string;
  /** Human-readable explanation: pair, score, period, counts and what drove the score. */
  description: string;
  severity: AlertSeverity;
  /** What produced the alert, `beacon_detector` by default. */
  source: string;
  /** The scored pair, with every component, interval statistic and signal. */
  details: BeaconItem;
  /** When the alert was made, ISO 8601 UTC ending in `Z`. */
  timestamp: string;
  tags: string[];
}
