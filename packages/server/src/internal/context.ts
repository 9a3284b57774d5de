import type { BeaconConfig } from '@beacon/config';
import type { Detector } from '@beacon/detector';
import type { Registry } from 'prom-client';
import type { AlertQueue, PublishedBatch, ServerLogger } from '../appDeps.js';
import type { LiveMetrics } from './metrics.js';
import type { ServerState } from './serverState.js';

/** What every route handler gets: the dependencies with their defaults resolved. */
export interface AppContext {
  detector: Detector;
  alerts: AlertQueue | undefined;
  /** The current configuration (updated by `POST /api/v1/config`). */
  config: BeaconConfig;
  onConfigUpdate: ((config: BeaconConfig) => void) | undefined;
  logger: ServerLogger | undefined;
  now: () => number;
  state: ServerState;
  metrics: LiveMetrics;
  registry: Registry;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  chunkSize: number;
  /** Telemetry events dated more than this many seconds after `now()` are rejected. */
  futureToleranceSec: number;
  version: string;
  /** See `AppDeps.publishTelemetry`. */
  publishTelemetry: ((batch: PublishedBatch) => Promise<void>) | undefined;
}
