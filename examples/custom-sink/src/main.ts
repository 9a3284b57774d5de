// Feeds a few alerts through the dispatcher into a custom sink and checks they arrived.
// Exits non-zero if delivery did not happen.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AlertDispatcher, createAlert, MemorySink } from '@beacon/alerting';
import { pairKey, Protocol, type BeaconItem } from '@beacon/detector';
import { CsvDigestSink } from './csvDigestSink.js';

function item(src: string, dst: string, port: number, score: number, period: number): BeaconItem {
  const signals = [
    { name: 'cv', score, weight: 0.35, contribution: score * 0.35, raw_value: 0.05, threshold: 0.15 },
    { name: 'periodicity', score, weight: 0.35, contribution: score * 0.35, raw_value: score, threshold: 0.7 },
    { name: 'jitter', score: 0.8, weight: 0.15, contribution: 0.12, raw_value: 2, threshold: 5 },
    { name: 'size', score: 0.7, weight: 0.15, contribution: 0.105, raw_value: 0.2, threshold: 0.3 },
  ];
  return {
    pair_key: pairKey(src, dst, port, Protocol.TCP),
    src_ip: src, dst_ip: dst, dst_port: port, protocol: 'TCP',
    cv_score: score, periodicity_score: score, jitter_score: 0.8, size_score: 0.7, combined_score: score,
    is_beacon: score >= 0.7, confidence: score >= 0.9 ? 'critical' : 'high',
    connection_count: 60, duration_seconds: 60 * period,
    first_seen: '2025-01-01T00:00:00.000Z', last_seen: '2025-01-01T01:00:00.000Z', analysis_time: '2025-01-01T01:00:05.000Z',
    interval_stats: { count: 59, mean: period, std_dev: 1, cv: 0.02, median: period, min_interval: period - 2, max_interval: period + 2, jitter: 2 },
    periodicity_result: { is_periodic: true, dominant_period: period, periodicity_score: score, frequency_peaks: [period] },
    explanation: {
      detected_interval_seconds: period, interval_mean_seconds: period, interval_std_seconds: 1, dominant_fft_period_seconds: period,
      jitter_seconds: 2, packet_size_cv: 0.2, sample_count: 59, observation_window_seconds: 3600,
      contributing_signals: signals, signals_above_threshold: ['cv', 'periodicity'],
      summary: `Callbacks every ~${period} s with little variation`,
    },
  };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'beacon-custom-sink-'));
const digest = new CsvDigestSink(path.join(dir, 'alerts.csv'));
const memory = new MemorySink();
const dispatcher = new AlertDispatcher({ sinks: [digest, memory] });
dispatcher.on('failed', (alert, sink, error) => console.error(`delivery to ${sink} failed for ${alert.alert_id}: [${error.code}] ${error.message}`));

const items = [
  item('10.0.0.5', '203.0.113.9', 443, 0.94, 60),
  item('10.0.0.7', '203.0.113.9', 443, 0.83, 60),
  item('10.0.0.8', '198.51.100.20', 8080, 0.72, 10),
];
for (const i of items) dispatcher.enqueue(createAlert(i));
await dispatcher.close();

const stats = dispatcher.stats();
const csvRows = (await readFile(path.join(dir, 'alerts.csv'), 'utf8')).trim().split('\n').length - 1;
console.log('Per-destination digest:');
for (const line of digest.summary()) console.log(`  ${line}`);
console.log(`sent=${stats.alerts_sent} failed=${stats.alerts_failed} drops=${stats.drops} csv_rows=${csvRows}`);
await rm(dir, { recursive: true, force: true });

const ok =
  stats.alerts_sent === items.length &&
  stats.alerts_failed === 0 &&
  csvRows === items.length &&
  digest.digest.size === 2 &&
  memory.alerts.length === items.length;
if (!ok) {
  console.error('custom sink example: alerts were not all delivered');
  process.exitCode = 1;
}
