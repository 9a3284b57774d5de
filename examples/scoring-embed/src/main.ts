/**
 * How another security tool embeds @beacon/scoring: turn its own connection records into
 * inter-arrival intervals (seconds) and payload sizes (bytes), call scorePair, and act on the
 * result. Exits non-zero if the beacon is not flagged or the random pair is.
 */
import { isScoringError, scorePair, type ScoreResult } from '@beacon/scoring';
import { beaconRecords, randomRecords, type ConnectionRecord } from './records.js';

const ALERT_THRESHOLD = 0.7;

function score(records: ConnectionRecord[]): ScoreResult {
  const sorted = [...records].sort((a, b) => a.startedAtMs - b.startedAtMs);
  const intervals = new Float64Array(Math.max(0, sorted.length - 1));
  for (let i = 1; i < sorted.length; i++) intervals[i - 1] = (sorted[i]!.startedAtMs - sorted[i - 1]!.startedAtMs) / 1000;
  const sizes = Float64Array.from(sorted, (r) => r.bytesOut);
  return scorePair(intervals, sizes);
}

function show(name: string, r: ScoreResult): void {
  console.log(`${name}: score ${r.score.toFixed(3)} ${r.severity}, period ${r.periodSeconds?.toFixed(1) ?? '-'} s`);
  for (const s of r.explanation.signals) {
    console.log(`  ${s.name.padEnd(11)} score ${s.score.toFixed(2)}  weight ${s.weight.toFixed(2)}  raw ${s.rawValue.toFixed(3)}`);
  }
  console.log(`  ${r.explanation.summary}`);
}

const beacon = score(beaconRecords(40, 7));
const random = score(randomRecords(40, 7));
show('beacon-like pair', beacon);
show('random pair', random);

// Bad input is a typed error naming the input and index, never a crash deep inside the math.
try {
  scorePair([60, Number.NaN, 60], []);
} catch (err) {
  if (isScoringError(err)) console.log(`rejected bad input: ${err.code}: ${err.message}`);
  else throw err;
}

let failed = false;
if (beacon.score < ALERT_THRESHOLD) {
  console.error('FAIL: the beacon was not flagged');
  failed = true;
}
if (random.score >= ALERT_THRESHOLD) {
  console.error('FAIL: the random pair was flagged');
  failed = true;
}
process.exitCode = failed ? 1 : 0;
