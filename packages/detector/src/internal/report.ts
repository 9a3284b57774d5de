import type { AnalysisReport, AnalysisRun } from '../analysisRun.js';
import type { Detection } from '../detection.js';
import type { BeaconSlab } from './beaconRecord.js';
import type { PairState } from './pairState.js';

/**
 * The beacons an analysis run found, as compact records: row `i` of `records` is `pairs[i]`'s
 * detection, labelled `benign[i]`. Owned by the run's report, so later runs cannot change it.
 */
export interface RunBeacons {
  records: BeaconSlab;
  pairs: PairState[];
  benign: Array<string | null>;
  /** Detections already built for listeners, by row (reused by the report). */
  built: Array<Detection | undefined> | undefined;
}

/**
 * An analysis report whose `beacons` (highest score first) are built from the run's records on
 * first read, so a run nobody reads the list of (the periodic loop) builds no Detection objects.
 * `beacons` is an own enumerable property (JSON, spread and structuredClone see it) and may be
 * replaced.
 */
export function lazyReport(run: AnalysisRun, found: RunBeacons): AnalysisReport {
  const report = { run } as AnalysisReport;
  const settle = (list: Detection[]): void => {
    Object.defineProperty(report, 'beacons', { value: list, enumerable: true, writable: true, configurable: true });
  };
  Object.defineProperty(report, 'beacons', {
    enumerable: true,
    configurable: true,
    get(): Detection[] {
      const list = build(found);
      settle(list);
      return list;
    },
    set: settle,
  });
  return report;
}

function build({ records, pairs, benign, built }: RunBeacons): Detection[] {
  const n = pairs.length;
  const scores = new Float64Array(n);
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    scores[i] = records.score(i);
    order[i] = i;
  }
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const out: Detection[] = new Array<Detection>(n);
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    out[k] = built?.[i] ?? records.read(i, pairs[i] as PairState, benign[i] ?? null);
  }
  return out;
}
