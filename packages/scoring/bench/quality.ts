/**
 * Detection-quality report: per-profile recall at the 0.7 threshold, false-positive rate on
 * benign pairs and ROC-AUC, for Beacon's scorePair and the original's formula side by side.
 * Usage: pnpm --filter @beacon/scoring quality [pairsPerProfile] [seed]
 */
import { evaluateQuality } from '../src/internal/quality/evaluateQuality.js';

const pairsPerProfile = Number(process.argv[2] ?? 200);
const seed = Number(process.argv[3] ?? 1);
const r = evaluateQuality({ pairsPerProfile, seed });
const pct = (x: number): string => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1).padStart(5)} %`);

console.log(`Detection quality at threshold 0.7 (seed ${seed}, ${pairsPerProfile} pairs per profile and scenario, 20-100 events per pair)\n`);
console.log('| scenario | profile | pairs | Beacon | original |');
console.log('|---|---|---:|---:|---:|');
for (const row of r.rows) {
  const what = row.label === 'c2' ? 'recall' : row.label === 'benign' ? 'false positives' : 'flagged (periodic, allowlist job)';
  console.log(`| ${row.scenario} | ${row.profile} (${what}) | ${row.n} | ${pct(row.beacon)} | ${pct(row.original)} |`);
}
console.log(`\nFalse-positive rate on ${r.fpr.n} benign pairs: Beacon ${pct(r.fpr.beacon)}, original ${pct(r.fpr.original)}`);
console.log(`ROC-AUC (all C2 scenarios vs benign): Beacon ${r.auc.beacon.toFixed(4)}, original ${r.auc.original.toFixed(4)}`);
console.log(`Highest benign score: Beacon ${r.benignMax.beacon.toFixed(3)}, original ${r.benignMax.original.toFixed(3)}; lowest C2 score: Beacon ${r.c2Min.beacon.toFixed(3)}, original ${r.c2Min.original.toFixed(3)}`);
console.log('\nBounded sleep (Caldera-style, each sleep uniform in [a, k a]): recall at 0.7 per k, 40-100 callbacks per pair (20-39 for the last column).');
console.log('Scored on the callback times; `pnpm --filter @beacon/detector quality` runs them through the detector on separate connections and inside one keep-alive connection.\n');
console.log('| k | pairs | Beacon | original | Beacon, 20-39 callbacks |');
console.log('|---:|---:|---:|---:|---:|');
for (const b of r.bounded) console.log(`| ${b.k} | ${b.n} | ${pct(b.beacon)} | ${pct(b.original)} | ${pct(b.beaconFew)} |`);
console.log(`\nROC-AUC (bounded sleep, 40-100 callbacks, vs benign): Beacon ${r.boundedAuc.beacon.toFixed(4)}, original ${r.boundedAuc.original.toFixed(4)}`);
console.log(`(${r.seconds.toFixed(1)} s)`);
