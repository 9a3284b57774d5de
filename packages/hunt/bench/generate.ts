/**
 * Benchmark inputs: a 12-hour Zeek conn.log of `@beacon/synth` traffic (every C2 profile,
 * benign processes and periodic services, with missed beats and tasking bursts, filled up with
 * one-off connections to the row count), as a sensor would have logged it.
 *   tsx --conditions=@beacon/source bench/generate.ts out.log [rows]
 */
import { synthTraffic, writeConnLog } from '../src/internal/testing/synthTraffic.js';

/** Writes the conn.log; returns rows and bytes. */
export function writeSynthConnLog(path: string, rows = 700_000): { rows: number; bytes: number } {
  const { events } = synthTraffic({ seed: 1, pairsPerProfile: 60, events: [100, 1500], missedFraction: 0.1, taskingBursts: 2, totalRows: rows });
  return { rows: events.length, bytes: writeConnLog(path, events) };
}

if (process.argv[1]?.endsWith('generate.ts') && process.argv[2]) {
  const r = writeSynthConnLog(process.argv[2], process.argv[3] ? Number(process.argv[3]) : undefined);
  console.log(`${process.argv[2]}: ${r.rows} rows, ${(r.bytes / 2 ** 20).toFixed(1)} MiB`);
}
