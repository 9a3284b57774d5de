import type { Alert, AlertSeverity, DispatcherStats, RecentAlertsQuery, SinkStats } from '@beacon/alerting';
import type { BeaconConfig } from '@beacon/config';
import type { ConnectionEvent, Detector } from '@beacon/detector';
import type { Registry } from 'prom-client';
import type { DataPlaneStats } from './telemetry/wire.js';

/** A pino-compatible logger: the server logs through this and nothing else. */
export interface ServerLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Alert severities, as in the alert JSON (`@beacon/alerting`'s `AlertSeverity`). */
export type AlertSeverityName = AlertSeverity;

/** An alert as the API lists it: `@beacon/alerting`'s `Alert`. */
export type AlertRecord = Alert;

/** Delivery counters of one sink (`@beacon/alerting`'s `SinkStats`). */
export type AlertSinkCounters = SinkStats;

/** The alert queue's counters, as `AlertDispatcher.stats()` returns them. */
export type AlertQueueStats = Omit<DispatcherStats, 'listener_errors'> & { listener_errors?: number };

/**
 * The part of `@beacon/alerting`'s `AlertDispatcher` the API uses: its counters, its list of
 * recent alerts (severity filter applied before the limit) and clearing that list.
 */
export interface AlertQueue {
  stats(): AlertQueueStats;
  recent(query?: RecentAlertsQuery): readonly Alert[];
  clearRecent(): void;
}

/** One decoded telemetry batch handed to {@link AppDeps.publishTelemetry}. */
export interface PublishedBatch {
  /** The batch's good events (bad ones were rejected and counted by the route). */
  events: readonly ConnectionEvent[];
  /** `node_id`, or the `X-Node-ID` header. */
  nodeId: string;
  /** `batch_id`, or `''` when the sender gave none (publishers use it to de-duplicate retries). */
  batchId: string;
  /** The sender's cumulative drop counters, when it sent them. */
  dataPlaneStats?: DataPlaneStats;
}

/** Storage slot for persistence (a later package); accepted and not used yet. */
export interface ServerStore {
  /** Called by `close()` when present. */
  close?(): void | Promise<void>;
}

/** Everything {@link createApp} needs. Only `detector` is required. */
export interface AppDeps {
  /** The detector telemetry feeds and the API reads. */
  detector: Detector;
  /** The alert dispatcher (alerts, alert queue counters). Without it the alert routes list nothing. */
  alerts?: AlertQueue;
  /** The loaded configuration, shown (redacted) by `GET /api/v1/config`. @default defaultConfig() */
  config?: BeaconConfig;
  /** Called after `POST /api/v1/config` applied a change, with the new configuration. */
  onConfigUpdate?: (config: BeaconConfig) => void;
  /** prom-client registry the metrics are registered in. @default a new Registry */
  registry?: Registry;
  /** Logger. @default no logging */
  logger?: ServerLogger;
  /** Clock, milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /**
   * API key. When set, writes (POST telemetry/config/analyze, DELETE beacons/alerts) need it as
   * `X-API-Key` or `Authorization: Bearer`. `listen()` refuses to bind beyond loopback without one.
   * @default config.control_plane.api_key
   */
  apiKey?: string | null;
  /** Require the API key for reads too (only when a key is set). @default false */
  protectReads?: boolean;
  /** Origins allowed by CORS. Empty: no CORS headers at all. @default config.control_plane.cors_origins */
  corsOrigins?: readonly string[];
  /**
   * Host names the server answers to besides IP literals, `localhost` and the listen address
   * (DNS rebinding defence; checked on loopback binds, or on any bind once this is not empty).
   * @default config.control_plane.allowed_hosts
   */
  allowedHosts?: readonly string[];
  /** Largest request body on the wire, bytes. @default config.control_plane.max_body_bytes (8 MiB) */
  maxBodyBytes?: number;
  /** Largest request body after decompression, bytes. @default maxBodyBytes */
  maxDecompressedBytes?: number;
  /** Telemetry events parsed, validated and ingested per slice before yielding to the event loop. @default 5000 */
  chunkSize?: number;
  /**
   * Telemetry events dated more than this many seconds after `now()` are rejected (counted as
   * `future_time`): one event from the future would otherwise make every later real event of
   * its pair "too late". Allows for the data planes' clock skew. @default 300
   */
  futureToleranceSeconds?: number;
  /** Reported by `GET /`. @default this package's version */
  version?: string;
  /** Serve the browser dashboard at `/` (for browsers) and `/dashboard/`. @default true */
  dashboard?: boolean;
  /** How often `/api/v1/stream` sends its `stats` event, ms. @default 2000 */
  streamIntervalMs?: number;
  /**
   * Where telemetry goes instead of the local detector (a cluster's stream): `POST
   * /api/v1/telemetry` decodes the batch, awaits this, and answers `accepted` only once it
   * resolved. A rejection that is a `ServerError` `UNAVAILABLE` is answered 503 with
   * `Retry-After`. Events published this way are counted where they are consumed.
   * @default none (events go to `detector`)
   */
  publishTelemetry?: (batch: PublishedBatch) => Promise<void>;
  /** Persistence (reserved; not used yet). */
  store?: ServerStore;
}
