import { describeEvidence, severityOf } from '@beacon/scoring';
import type { EvidenceSummary, ScoreResult, Severity, SignalContribution, SignalName } from '@beacon/scoring';
import type { Detection } from '../detection.js';
import type { PairState } from './pairState.js';
import { DIRECTIONS, KINDS } from './direction.js';
import { withNameFields } from './nameFields.js';

// Field offsets of one beacon record (a row of Float64 cells).
const SCORE = 0;
const COMP = 1; // 4: cv, periodicity, jitter, size
const PERIOD = 5; // NaN: null
const STATS = 6; // 9: count, mean, stdDev, cv, median, min, max, mad, jitter
const SIZE_COUNT = 15;
const RAW = 16; // 4, per signal
const WEIGHT = 20; // 4
const THRESHOLD = 24; // 4
const CONN = 28;
const SAMPLES = 29;
const WINDOW = 30;
const FIRST = 31;
const LAST = 32;
const AT = 33;
const IS_BEACON = 34;
const DIRECTION = 35; // code, see direction.ts
const KIND = 36; // code
// the evidence summary (NaN in EV_N: none): intervals, p-value, cap, limited, uncapped severity
// rank, intervals outside the bounds, bounded p-value, bounded-sleep signal, whether it set the score
const EV_N = 37;
const EV_P = 38;
const EV_CAP = 39;
const EV_LIMITED = 40;
const EV_UNCAPPED = 41;
const EV_OUTSIDE = 42;
const EV_PB = 43;
const EV_BOUNDED = 44;
const EV_DROVE = 45;
const FIELDS = 46;
const CHUNK_ROWS = 1024;

const NAMES: readonly SignalName[] = ['cv', 'periodicity', 'jitter', 'size'];
const STAT_KEYS = ['count', 'mean', 'stdDev', 'cv', 'median', 'min', 'max', 'mad', 'jitter'] as const;
const SEVERITIES: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** Severity rank (LOW 0 .. CRITICAL 3), for compact cooldown records. */
export const rankOf = (s: Severity): number => SEVERITIES.indexOf(s);
/** Severity of a rank. */
export const severityOfRank = (r: number): Severity => SEVERITIES[r] ?? 'LOW';

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);

/**
 * Known beacons as compact numeric records: 46 Float64 cells per beacon in shared chunks, instead
 * of holding each ScoreResult with its explanation objects and summary string (about 1.5 KB of
 * heap per beacon). {@link BeaconSlab.read} rebuilds the full {@link Detection} on demand; its
 * summary sentence is rebuilt from the stored numbers.
 */
export class BeaconSlab {
  private readonly chunks: Float64Array[] = [];
  private readonly free: number[] = [];
  private next = 0;
  /** Takes a free row. */
  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const row = this.next++;
    if (row >= this.chunks.length * CHUNK_ROWS) this.chunks.push(new Float64Array(CHUNK_ROWS * FIELDS));
    return row;
  }

  /** Frees every row. */
  clear(): void {
    this.chunks.length = 0;
    this.free.length = 0;
    this.next = 0;
  }

  /** Returns a row for reuse. */
  release(row: number): void {
    this.free.push(row);
  }

  /** Stores a detection in a row. */
  write(row: number, d: Detection): void {
    const dir = DIRECTIONS.indexOf((d as Partial<Detection>).direction ?? 'outbound');
    const kind = KINDS.indexOf((d as Partial<Detection>).kind ?? (d.benignLabel ? 'periodic' : 'beacon'));
    this.writeResult(row, d.result, d.isBeacon !== false, d.connectionCount, d.sampleCount, d.windowSeconds, d.firstSeen, d.lastSeen, d.analyzedAt, dir < 0 ? 1 : dir, kind < 0 ? 0 : kind);
  }

  /** Stores a scoring result and the detection's figures in a row (no Detection object needed). */
  writeResult(row: number, result: ScoreResult, isBeacon: boolean, conn: number, samples: number, window: number, first: number, last: number, at: number, direction: number, kind: number): void {
    const c = this.chunks[Math.floor(row / CHUNK_ROWS)] as Float64Array;
    const o = (row % CHUNK_ROWS) * FIELDS;
    const r = result as Partial<ScoreResult>;
    c[o + SCORE] = num(r.score);
    const comp = r.components;
    if (comp !== undefined) {
      c[o + COMP] = num(comp.cv);
      c[o + COMP + 1] = num(comp.periodicity);
      c[o + COMP + 2] = num(comp.jitter);
      c[o + COMP + 3] = num(comp.size);
    } else for (let i = 0; i < 4; i++) c[o + COMP + i] = Number.NaN;
    c[o + PERIOD] = r.periodSeconds === null || r.periodSeconds === undefined ? Number.NaN : r.periodSeconds;
    const st = r.stats;
    if (st !== undefined) {
      c[o + STATS] = num(st.count);
      c[o + STATS + 1] = num(st.mean);
      c[o + STATS + 2] = num(st.stdDev);
      c[o + STATS + 3] = num(st.cv);
      c[o + STATS + 4] = num(st.median);
      c[o + STATS + 5] = num(st.min);
      c[o + STATS + 6] = num(st.max);
      c[o + STATS + 7] = num(st.mad);
      c[o + STATS + 8] = num(st.jitter);
    } else for (let i = 0; i < STAT_KEYS.length; i++) c[o + STATS + i] = Number.NaN;
    c[o + SIZE_COUNT] = num(r.sizeCount);
    for (let i = 0; i < 4; i++) c[o + RAW + i] = c[o + WEIGHT + i] = c[o + THRESHOLD + i] = Number.NaN;
    const signals = r.explanation?.signals;
    if (signals !== undefined) {
      for (let k = 0; k < signals.length; k++) {
        const s = signals[k] as SignalContribution;
        const i = s.name === 'cv' ? 0 : s.name === 'periodicity' ? 1 : s.name === 'jitter' ? 2 : s.name === 'size' ? 3 : -1;
        if (i < 0) continue;
        c[o + RAW + i] = num(s.rawValue);
        c[o + WEIGHT + i] = num(s.weight);
        c[o + THRESHOLD + i] = num(s.threshold);
      }
    }
    c[o + CONN] = num(conn);
    c[o + SAMPLES] = num(samples);
    c[o + WINDOW] = num(window);
    c[o + FIRST] = num(first);
    c[o + LAST] = num(last);
    c[o + AT] = num(at);
    c[o + IS_BEACON] = isBeacon ? 1 : 0;
    c[o + DIRECTION] = direction;
    c[o + KIND] = kind;
    const ev = r.explanation?.evidence;
    if (ev !== undefined && ev !== null && typeof ev === 'object') {
      c[o + EV_N] = num(ev.intervals);
      c[o + EV_P] = num(ev.pValue);
      c[o + EV_CAP] = num(ev.cap);
      c[o + EV_LIMITED] = ev.limited === true ? 1 : 0;
      c[o + EV_UNCAPPED] = rankOf(ev.uncappedSeverity);
      c[o + EV_OUTSIDE] = num(ev.outsideBounds);
      c[o + EV_PB] = num(ev.pBounded);
      c[o + EV_BOUNDED] = num(ev.boundedSleep);
      c[o + EV_DROVE] = ev.boundedDrove === true ? 1 : 0;
    } else c[o + EV_N] = Number.NaN;
  }

  /** Copies row `from` of `src` into row `row`. */
  copyRow(row: number, src: BeaconSlab, from: number): void {
    const c = this.chunks[Math.floor(row / CHUNK_ROWS)] as Float64Array;
    const o = (row % CHUNK_ROWS) * FIELDS;
    const sc = src.chunks[Math.floor(from / CHUNK_ROWS)] as Float64Array;
    const so = (from % CHUNK_ROWS) * FIELDS;
    for (let i = 0; i < FIELDS; i++) c[o + i] = sc[so + i] as number;
  }

  /** The score of a row. */
  score(row: number): number {
    return (this.chunks[Math.floor(row / CHUNK_ROWS)] as Float64Array)[(row % CHUNK_ROWS) * FIELDS + SCORE] as number;
  }

  /** Rebuilds the detection held in a row for pair `p` (labelled `benign`, by default the pair's label now). */
  read(row: number, p: PairState, benign: string | null = p.benign): Detection {
    const c = this.chunks[Math.floor(row / CHUNK_ROWS)] as Float64Array;
    const o = (row % CHUNK_ROWS) * FIELDS;
    const f = (i: number): number => c[o + i] as number;
    const score = f(SCORE);
    const severity = severityOf(Number.isNaN(score) ? 0 : score);
    const period = Number.isNaN(f(PERIOD)) ? null : f(PERIOD);
    const signals: SignalContribution[] = NAMES.map((name, i) => {
      const s = f(COMP + i);
      const w = f(WEIGHT + i);
      return { name, score: s, weight: w, contribution: s * w, rawValue: f(RAW + i), threshold: f(THRESHOLD + i) };
    });
    const result: ScoreResult = {
      score,
      severity,
      components: { cv: f(COMP), periodicity: f(COMP + 1), jitter: f(COMP + 2), size: f(COMP + 3) },
      periodSeconds: period,
      stats: { count: f(STATS), mean: f(STATS + 1), stdDev: f(STATS + 2), cv: f(STATS + 3), median: f(STATS + 4), min: f(STATS + 5), max: f(STATS + 6), mad: f(STATS + 7), jitter: f(STATS + 8) },
      sizeCount: f(SIZE_COUNT),
      explanation: { signals, summary: '' },
    };
    if (!Number.isNaN(f(EV_N))) {
      const evidence: EvidenceSummary = {
        intervals: f(EV_N),
        pValue: f(EV_P),
        cap: f(EV_CAP),
        limited: f(EV_LIMITED) === 1,
        uncappedSeverity: severityOfRank(f(EV_UNCAPPED)),
        outsideBounds: f(EV_OUTSIDE),
        pBounded: f(EV_PB),
        boundedSleep: f(EV_BOUNDED),
        boundedDrove: f(EV_DROVE) === 1,
      };
      result.explanation.evidence = evidence;
    }
    result.explanation.summary = summarize(score, severity, signals, period, result.explanation.evidence);
    const d: Detection = {
      pairKey: p.key,
      srcIp: p.srcIp,
      dstIp: p.dstIp,
      dstPort: p.dstPort,
      protocol: p.protocol,
      result,
      isBeacon: f(IS_BEACON) === 1,
      direction: DIRECTIONS[f(DIRECTION)] ?? 'outbound',
      kind: KINDS[f(KIND)] ?? 'beacon',
      reason: null,
      benignLabel: benign,
      connectionCount: f(CONN),
      sampleCount: f(SAMPLES),
      windowSeconds: f(WINDOW),
      firstSeen: f(FIRST),
      lastSeen: f(LAST),
      analyzedAt: f(AT),
    };
    return p.serverName === undefined ? d : withNameFields(d, p);
  }

  /** Typed-array bytes held (off the JS heap). */
  get bytes(): number {
    return this.chunks.length * CHUNK_ROWS * FIELDS * 8;
  }
}

/** One sentence on what drove the score, in the scoring package's wording, from the stored numbers. */
function summarize(score: number, severity: Severity, signals: SignalContribution[], period: number | null, evidence: EvidenceSummary | undefined): string {
  let top: SignalContribution | undefined;
  let low: SignalContribution | undefined;
  for (const s of signals) {
    if (!(s.weight > 0)) continue;
    if (top === undefined || s.contribution > top.contribution) top = s;
    if (low === undefined || s.score < low.score) low = s;
  }
  let text = `score ${score.toFixed(3)} (${severity})`;
  text += period === null ? ', no beat period found' : `, period ${period >= 100 ? Math.round(period) : period >= 1 ? period.toFixed(1) : period.toPrecision(2)} s`;
  if (top !== undefined) text += `; strongest signal ${top.name} (${top.score.toFixed(2)} x ${top.weight.toFixed(2)})`;
  if (top !== undefined && low !== undefined && low !== top && low.score < top.score - 0.01) text += `, weakest ${low.name} (${low.score.toFixed(2)})`;
  if (evidence !== undefined) {
    if (evidence.boundedDrove && !evidence.limited) text += `; bounded sleep: ${evidence.intervals - evidence.outsideBounds} of ${evidence.intervals} intervals within 0.125-2.5 x median`;
    if (evidence.limited && evidence.uncappedSeverity !== severity) text += `; ${describeEvidence(evidence)}`;
  }
  return text;
}
