import { HuntError } from './huntError.js';
import { createDetector, type ConnectionEvent, type Detection, type Detector, type DetectorConfigInput } from '@beacon/detector';
import type { Pipeline } from '@beacon/server';

/** What a hunt needs of a detection pipeline (`createPipeline` of `@beacon/server` makes one). */
export type HuntPipeline = Pick<Pipeline, 'detector' | 'close' | 'alertsRaised'>;

/** Options of {@link createHunt}. */
export interface HuntOptions {
  /**
   * Detector configuration: thresholds, allowlist, benign baselines, caps. From a YAML file,
   * `toDetectorConfig(loadConfig(file))` of `@beacon/config`.
   * @default {}
   */
  detector?: DetectorConfigInput;
  /**
   * The batches come from a reader that already validated every event (`@beacon/sources`, a
   * telemetry decoder), so per-event checks are skipped. Leave it false for events from
   * anywhere else: bad events are then rejected and counted, never thrown on.
   * @default false
   */
  trusted?: boolean;
  /**
   * Runs the hunt through a detection pipeline instead of a bare detector, so the beacons it
   * finds raise alerts that go out through alert sinks (syslog, webhook, file) as they would on a
   * server: pass `(now) => createPipeline(config, { now })` (`@beacon/server`). The hunt calls it
   * once with its data clock (milliseconds since the epoch, following the newest event): hand
   * that to the pipeline as its `now`, so alert times and cooldowns follow the data. The
   * pipeline's detector is used, configured from the pipeline's configuration, so `detector`
   * must not be given too. Its analysis loop is not started (the hunt runs the analyses) and its
   * store, if any, is neither restored nor written. Call {@link Hunt.close} after `finish()` to
   * deliver the queued alerts and close the sinks.
   */
  pipeline?: (now: () => number) => HuntPipeline;
}

/** Counters of a {@link Hunt}. */
export interface HuntCounts {
  /** Events pushed. */
  events: number;
  /** Events the detector refused (malformed, or older than its out-of-order tolerance). */
  rejected: number;
  /** Events dropped by the allowlist. */
  allowlisted: number;
  /** Events dropped because a full history could not take an event that old. */
  historyFull: number;
  /** Analysis runs: the final one, plus one before each time the pair cap was about to evict. */
  analyses: number;
}

/**
 * A detector driven by data time. Push event batches from any source in (roughly) time
 * order, then call {@link Hunt.finish} once.
 */
export interface Hunt {
  /**
   * Ingests a batch (events are checked unless `trusted`; rejections are counted).
   * `pairHints`: see `IngestBatchOptions.pairHints` of `@beacon/detector` (one per event).
   */
  push(batch: readonly ConnectionEvent[], pairHints?: Uint32Array): void;
  /** Scores every pair; returns every scored pair, highest score first. Call once, at the end. */
  finish(): Detection[];
  /** Live counters. */
  readonly counts: HuntCounts;
  /** The detector underneath (for its stats, long connections and pair listings). */
  readonly detector: Detector;
  /** Alerts raised through the pipeline (see {@link HuntOptions.pipeline}); 0 without one. */
  readonly alertsRaised: number;
  /**
   * With a pipeline: delivers the alerts still queued and closes the sinks (call it after
   * `finish()`). Without one it has nothing to do. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Creates a streaming hunt. The detector's clock follows the data.
 *
 * When pairs are scored: a pair's scoring window is anchored at its own newest event
 * (`max(timeWindow, (minConnections + 2) x median interval)` back from it, at least the newest
 * `minConnections + 2` events, at most `maxHistory`), and a hunt never expires pairs. So the
 * last scoring of a pair depends only on the history it ends with, and scoring it at every
 * analysis tick of data time (as the live loop does, and as this hunt once did: 720 runs for 12
 * hours) changes nothing in the result but costs most of the time. A hunt therefore scores each
 * pair once, at the end, and additionally runs an analysis whenever the pair cap
 * (`maxPairs`) is about to evict pairs, so an evicted pair keeps the detection of its last
 * history, as it would have with ticks. The result is the same set of detections with the
 * same scores (tests compare it with tick-by-tick analysis on synthetic and real traffic).
 * @example
 * const hunt = createHunt({ trusted: true });
 * for await (const batch of await openSource('conn.log')) hunt.push(batch);
 * for (const d of hunt.finish().filter((d) => d.isBeacon)) console.log(toBeaconRow(d));
 */
export function createHunt(options: HuntOptions = {}): Hunt {
  const { detector: config, trusted = false } = options;
  if (options.pipeline !== undefined && config !== undefined) {
    throw new HuntError('INVALID_OPTION', 'give either detector or pipeline: with a pipeline, the detector is configured from the pipeline configuration');
  }
  let dataNow = 0;
  const pipeline = options.pipeline?.(() => dataNow * 1000);
  const detector = pipeline?.detector ?? createDetector({ config: config ?? {}, now: () => dataNow });
  const scored = new Map<string, Detection>();
  detector.on('scored', (d: Detection) => scored.set(d.pairKey, d));
  const counts: HuntCounts = { events: 0, rejected: 0, allowlisted: 0, historyFull: 0, analyses: 0 };
  const maxPairs = detector.config.maxPairs;
  const ingestOptions = { trusted, countBatch: true };
  let finished = false;
  const ingest = (events: readonly ConnectionEvent[], pairHints: Uint32Array | undefined): void => {
    const r = detector.ingestBatch(events, pairHints === undefined ? ingestOptions : { trusted, countBatch: true, pairHints });
    counts.events += events.length;
    counts.rejected += r.rejected;
    counts.allowlisted += r.allowlisted;
    counts.historyFull += r.historyFull;
  };
  return {
    counts,
    detector,
    get alertsRaised() {
      return pipeline?.alertsRaised ?? 0;
    },
    close: () => pipeline?.close() ?? Promise.resolve(),
    push(batch, pairHints) {
      if (finished) throw new HuntError('FINISHED', 'push() after finish(): a hunt is used once');
      const n = batch.length;
      if (n === 0) return;
      // Data time: the newest event seen (batches are in time order, so the last event is a
      // good guess; the loop only matters for unordered input).
      for (let i = n - 1; i >= 0 && i >= n - 64; i--) {
        const e = batch[i] as ConnectionEvent | null | undefined;
        const t = e ? e.tsSec + e.tsNsec / 1e9 : Number.NaN;
        if (t > dataNow) dataNow = t;
      }
      // Before the pair cap can evict, score what has changed, so evicted pairs keep their
      // detection. An event creates at most one address pair, and a named event one name-keyed
      // pair too (its name seen before on another address): while a slice's worst case fits in
      // the room left, nothing can be evicted; otherwise analyse first, then go on.
      let from = 0;
      while (from < n) {
        const room = maxPairs - detector.pairCount;
        let to = room >= 2 * (n - from) ? n : from; // room for the worst case: no need to look
        for (let budget = room; to < n; to++) {
          budget -= pairsAtMost(batch[to]);
          if (budget < 0) break;
        }
        if (to === from) {
          // not even the next event fits: everything changed is scored before it may evict
          detector.analyze();
          counts.analyses++;
          to = from + 1;
        }
        const whole = from === 0 && to === n;
        ingest(whole ? batch : batch.slice(from, to), pairHints === undefined || whole ? pairHints : pairHints.subarray(from, to));
        from = to;
      }
    },
    finish() {
      if (!finished) {
        finished = true;
        detector.analyze();
        counts.analyses++;
      }
      return [...scored.values()].sort(byScore);
    },
  };
}

/**
 * The order of a hunt's detections: highest score first, equal scores by pair key, so the order
 * does not depend on which pair was seen first (or on which thread scored it).
 * @internal
 */
export function byScore(a: Detection, b: Detection): number {
  return b.result.score - a.result.score || (a.pairKey < b.pairKey ? -1 : a.pairKey > b.pairKey ? 1 : 0);
}

/** Most pairs one event can create: its address pair, and its name-keyed pair when it carries a name. */
function pairsAtMost(e: ConnectionEvent | null | undefined): number {
  return typeof e === 'object' && e !== null && e.serverName !== undefined ? 2 : 1;
}
