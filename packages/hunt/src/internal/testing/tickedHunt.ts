import { createDetector, eventTime, type ConnectionEvent, type Detection, type DetectorConfigInput } from '@beacon/detector';

// The hunt as it was before scoring moved to the end: an analysis at every analysis_interval of
// data time. Kept for tests only, as the reference `createHunt` must agree with.

/** Counters of a {@link HuntSession}. */
export interface TickedCounts {
  events: number;
  rejected: number;
  allowlisted: number;
  /** Analysis runs, one per analysis tick of data time plus the last one. */
  analyses: number;
}

/** A detector driven by data time: feed it events in (roughly) time order, then finish. */
export interface HuntSession {
  /** Ingests events, running an analysis whenever data time crosses an analysis tick. */
  feed(batch: readonly ConnectionEvent[]): void;
  /** Runs the last analysis; returns every scored pair, highest score first. */
  finish(): Detection[];
  readonly counts: TickedCounts;
}

/**
 * Creates a hunt session. Analyses run as the live loop would, every `analysis_interval` of
 * *data* time (batches are cut where a tick falls), so a day-long log read in a couple of
 * 4,096-event batches is still analysed every minute of its own time, and a pair that was
 * periodic for a while is scored while its events are inside the window. Each pair keeps the
 * detection of its latest successful scoring.
 */
export function createTickedHunt(config: DetectorConfigInput = {}): HuntSession {
  let dataNow = 0;
  const detector = createDetector({ config, now: () => dataNow });
  const scored = new Map<string, Detection>();
  detector.on('scored', (d: Detection) => scored.set(d.pairKey, d));
  const counts: TickedCounts = { events: 0, rejected: 0, allowlisted: 0, analyses: 0 };
  const interval = detector.config.analysisInterval;
  let nextAnalysis = -1;
  const ingest = (events: readonly ConnectionEvent[]): void => {
    if (events.length === 0) return;
    for (const e of events) dataNow = Math.max(dataNow, eventTime(e));
    const r = detector.ingestBatch(events);
    counts.events += events.length;
    counts.rejected += r.rejected;
    counts.allowlisted += r.allowlisted;
  };
  return {
    counts,
    feed(batch) {
      let from = 0;
      for (let i = 0; i < batch.length; i++) {
        const t = eventTime(batch[i] as ConnectionEvent);
        if (nextAnalysis < 0) nextAnalysis = t + interval;
        if (t < nextAnalysis) continue;
        ingest(batch.slice(from, i));
        from = i;
        dataNow = Math.max(dataNow, nextAnalysis);
        detector.analyze();
        counts.analyses++;
        nextAnalysis += interval * (Math.floor((t - nextAnalysis) / interval) + 1);
      }
      ingest(from === 0 ? batch : batch.slice(from));
    },
    finish() {
      detector.analyze();
      counts.analyses++;
      return [...scored.values()].sort((a, b) => b.result.score - a.result.score);
    },
  };
}
