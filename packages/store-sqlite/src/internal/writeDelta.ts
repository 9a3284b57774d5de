import type Database from 'better-sqlite3';
import type { PackedDelta } from './packDelta.js';
import type { Statements } from './statements.js';

/** What one write did. */
export interface WriteResult {
  written: number;
  deleted: number;
  /** The last `seq` given to a pair (write order, so a load returns pairs least recently touched first). */
  seq: number;
}

type WriteStatements = Pick<Statements, 'deletePair' | 'upsertPair' | 'deleteBeacon' | 'deleteBeaconState' | 'updateBeacon' | 'insertBeacon' | 'upsertBeaconState' | 'deleteCooldown' | 'upsertCooldown' | 'upsertCounter' | 'setMeta'>;

/**
 * Applies a packed delta: removals first, then upserts, in the caller's transaction. The same
 * function serves the writer thread (its source is shipped there, see `writerThread.ts`) and
 * the in-thread fallback, so it may use nothing but its arguments and globals (no imports).
 */
export function writePacked(st: WriteStatements, d: PackedDelta, seq: number): WriteResult {
  const stride = 7; // PAIR_NUMS
  let deleted = 0;
  for (const key of d.removedPairs) deleted += st.deletePair.run(key).changes;
  const lines = d.text === '' ? [] : d.text.split('\n');
  const blobs = Buffer.from(d.blobs.buffer, d.blobs.byteOffset, d.blobs.byteLength);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    const o = i * stride;
    const n = d.nums;
    st.upsertPair.run(line.slice(0, a), line.slice(a + 1, b), line.slice(b + 1), n[o], n[o + 1], n[o + 2], n[o + 3], n[o + 4], n[o + 5], n[o + 6], ++seq, blobs.subarray(d.offsets[i], d.ends[i]));
  }
  const at = new Date(d.exportedAt * 1000).toISOString();
  for (const key of d.removedBeacons) {
    st.deleteBeacon.run(key);
    st.deleteBeaconState.run(key);
  }
  for (const [key, item, detection] of d.beacons) {
    if (st.updateBeacon.run(item, at, key).changes === 0) st.insertBeacon.run(key, item, at, at);
    st.upsertBeaconState.run(key, detection);
  }
  for (const key of d.removedCooldowns) st.deleteCooldown.run(key);
  for (const [key, atSec, score, severity] of d.cooldowns) st.upsertCooldown.run(key, atSec, score, severity);
  for (const [name, value] of d.counters) st.upsertCounter.run(name, value);
  st.setMeta.run('exported_at', String(d.exportedAt));
  return { written: lines.length, deleted, seq };
}

/** Wraps {@link writePacked} in one transaction of `db`. */
export function writeTransaction(db: Database.Database, st: WriteStatements): (d: PackedDelta, seq: number) => WriteResult {
  return db.transaction((d: PackedDelta, seq: number) => writePacked(st, d, seq));
}
