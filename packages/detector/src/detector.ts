import { EventEmitter } from 'eventemitter3';
import type { AnalysisReport } from './analysisRun.js';
import type { DetectorConfig, DetectorConfigInput } from './config.js';
import { resolveConfig } from './configSchema.js';
import type { Detection } from './detection.js';
import type { DetectorEvents } from './detectorEvents.js';
import type { DetectorState } from './detectorState.js';
import type { DetectorStats } from './detectorStats.js';
import type { IngestOutcome, IngestResult } from './ingestResult.js';
import { analyze, cleanup } from './internal/analyze.js';
import { DetectorError } from './detectorError.js';
import { describe } from './internal/checkEvent.js';
import { Core } from './internal/core.js';
import { listBeacons, listConnections, listLongConnections, pairDetail, statsOf } from './internal/queries.js';
import { exportDelta, exportState } from './internal/stateExport.js';
import { importState } from './internal/stateLoad.js';
import type { ConnectionEvent } from './event.js';
import type { StateDelta } from './detectorStore.js';
import type { IngestBatchOptions } from './ingestBatchOptions.js';
import type { ImportStateOptions } from './importStateOptions.js';
import type { BeaconQuery, ConnectionQuery, LongConnection, LongConnectionQuery, PairDetail, PairQuery, PairSummary } from './queries.js';

/** Options of {@link createDetector}. */
export interface DetectorOptions {
  /** Configuration (validated by {@link detectorConfigSchema}; missing keys take defaults). @default {} */
  config?: DetectorConfigInput;
  /** The clock, epoch seconds. Drives cooldowns, retention and open-flow durations. @default () => Date.now() / 1000 */
  now?: () => number;
}

const MAX_ISSUES = 20;

/**
 * The stateful detector: ingest connection events, analyse pairs, read beacons. Emits the
 * {@link DetectorEvents}. Not thread-safe: use from one event loop.
 * @example
 * const d = createDetector({ config: { minConnections: 8 } });
 * d.on('alert', ({ detection }) => console.log(toBeaconItem(detection)));
 * d.ingestBatch(events);
 * d.analyze();
 */
export class Detector extends EventEmitter<DetectorEvents> {
  private readonly core: Core;
  private analysisTimer: ReturnType<typeof setInterval> | undefined;
  private cleanupTimer: ReturnType<typeof setInterval> | undefined;

  /** @throws {@link DetectorError} `INVALID_CONFIG` naming the offending key. */
  constructor(options: DetectorOptions = {}) {
    super();
    const { config = {}, now = () => Date.now() / 1000 } = options;
    this.core = new Core(resolveConfig(config), this, now);
  }

  /** The current configuration (a copy). */
  get config(): DetectorConfig {
    return structuredClone(this.core.cfg);
  }

  /**
   * Validates `partial` merged over the current config (nested sections merged one level) and
   * applies it: allowlist changes purge matching pairs, a smaller cap evicts, a new maxHistory
   * re-slabs. Restarts the loop timers when their intervals change.
   * @throws {@link DetectorError} `INVALID_CONFIG` naming the key; the config is then unchanged.
   */
  updateConfig(partial: DetectorConfigInput): DetectorConfig {
    const cur = this.core.cfg;
    const p = (partial ?? {}) as DetectorConfigInput;
    const merged = {
      ...cur,
      ...p,
      weights: { ...cur.weights, ...p.weights },
      allowlist: { ...cur.allowlist, ...p.allowlist },
      benignBaseline: { ...cur.benignBaseline, ...p.benignBaseline },
    };
    const next = resolveConfig(merged);
    this.core.applyConfig(next);
    if (this.core.running && (next.analysisInterval !== cur.analysisInterval || next.cleanupInterval !== cur.cleanupInterval)) {
      this.stop();
      this.start();
    }
    return this.config;
  }

  /** Ingests one event (checked, never thrown on). Returns what happened to it. */
  ingest(event: unknown): IngestOutcome {
    return this.core.ingestEvent(event);
  }

  /**
   * The fast path: ingests a batch, counting every event as accepted, allowlisted, history_full
   * or rejected (with reasons, and the first 20 rejections in detail with index and field path).
   * See {@link IngestBatchOptions} for the trusted path (events a boundary decoder validated).
   */
  ingestBatch(events: readonly unknown[], options: IngestBatchOptions = {}): IngestResult {
    const { trusted = false, countBatch = true, pairHints } = options;
    const core = this.core;
    if (countBatch) core.counters.batches++;
    const res: IngestResult = { accepted: 0, allowlisted: 0, historyFull: 0, rejected: 0, reasons: {}, issues: [] };
    if (pairHints !== undefined && pairHints.length < events.length) throw new DetectorError('INVALID_ARGUMENT', `pairHints has ${pairHints.length} entries for ${events.length} events`);
    for (let i = 0; i < events.length; i++) {
      const hint = pairHints === undefined ? -1 : (pairHints[i] as number) >>> 0;
      const out = trusted ? core.accept(events[i] as ConnectionEvent, true, hint) : core.ingestEvent(events[i], hint);
      if (out === 'accepted') res.accepted++;
      else if (out === 'allowlisted') res.allowlisted++;
      else if (out === 'history_full') res.historyFull++;
      else {
        res.rejected++;
        res.reasons[out] = (res.reasons[out] ?? 0) + 1;
        const f = core.lastFailure;
        if (res.issues.length < MAX_ISSUES && f) res.issues.push({ index: i, reason: out, path: f.path, message: describe(f, events[i]) });
      }
    }
    return res;
  }

  /** One analysis run over the pairs with new events. Emits `beacon`, `alert`, `analysis`. */
  analyze(): AnalysisReport {
    return analyze(this.core);
  }

  /** Expires idle pairs now (the loop does this every cleanupInterval). Returns the number expired. */
  cleanup(): number {
    return cleanup(this.core);
  }

  /** Starts the periodic analysis and cleanup loop (timers are unref'd). Idempotent. */
  start(): void {
    if (this.core.running) return;
    this.core.running = true;
    const cfg = this.core.cfg;
    this.analysisTimer = setInterval(() => this.analyze(), cfg.analysisInterval * 1000);
    this.cleanupTimer = setInterval(() => this.cleanup(), cfg.cleanupInterval * 1000);
    this.analysisTimer.unref?.();
    this.cleanupTimer.unref?.();
  }

  /** Stops the loop. Idempotent. */
  stop(): void {
    clearInterval(this.analysisTimer);
    clearInterval(this.cleanupTimer);
    this.analysisTimer = this.cleanupTimer = undefined;
    this.core.running = false;
  }

  /** Number of pairs tracked (cheap: {@link Detector.stats} also walks every pair). */
  get pairCount(): number {
    return this.core.table.size;
  }

  /** Number of known beacons, benign-labelled ones included (cheap: no list is built). */
  get beaconCount(): number {
    return this.core.beaconCount;
  }

  /** Known beacons, highest score first. */
  beacons(query?: BeaconQuery): Detection[] {
    return listBeacons(this.core, query);
  }

  /** Forgets every known beacon and cooldown (`DELETE /api/v1/beacons`). */
  clearBeacons(): void {
    this.core.clearBeacons();
  }

  /** Tracked pairs, most connections first. */
  connections(query?: ConnectionQuery): PairSummary[] {
    return listConnections(this.core, query);
  }

  /** Every tracked pair, most connections first (no limit). */
  pairs(): PairSummary[] {
    return listConnections(this.core, { limit: Number.MAX_SAFE_INTEGER });
  }

  /**
   * One tracked pair by its key (see `pairKey`): its summary, its recent events (times and
   * sizes, oldest first) and its beacon record; undefined when the pair is not tracked.
   */
  pair(key: string, query?: PairQuery): PairDetail | undefined {
    return pairDetail(this.core, key, query);
  }

  /** Pairs with a flow open at least `minDuration` (closed, or still open), longest first. */
  longConnections(query?: LongConnectionQuery): LongConnection[] {
    return listLongConnections(this.core, query);
  }

  /** The status/statistics counters. */
  stats(): DetectorStats {
    return statsOf(this.core);
  }

  /** A JSON-serialisable snapshot of pairs, beacons, cooldowns and counters. */
  exportState(): DetectorState {
    return exportState(this.core);
  }

  /**
   * What changed since the previous call (or since creation or {@link Detector.importState}),
   * for a `DetectorStore`: pairs created or changed, keys removed, beacons and cooldowns
   * set or removed, and every counter. Applying the deltas in order to an empty store yields
   * what {@link Detector.exportState} returns (see `MemoryStore`).
   */
  exportDelta(): StateDelta {
    return exportDelta(this.core);
  }

  /**
   * Replaces the state with a snapshot from {@link Detector.exportState} (validated). The next
   * {@link Detector.exportDelta} is then empty apart from the counters. Histories are copied
   * into the ring in bulk; see {@link ImportStateOptions} for snapshots from a trusted store.
   * @throws {@link DetectorError} `INVALID_STATE` naming the offending path.
   */
  importState(state: DetectorState, options: ImportStateOptions = {}): void {
    importState(this.core, state, options.trusted === true);
  }
}

/**
 * Creates a {@link Detector}.
 * @throws {@link DetectorError} `INVALID_CONFIG` naming the offending key.
 */
export function createDetector(options?: DetectorOptions): Detector {
  return new Detector(options);
}
