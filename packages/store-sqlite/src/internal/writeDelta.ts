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
  const stride = 8; // PAIR_NUMS
  const strings = 5; // PAIR_STRINGS
  let deleted = 0;
  for (const key of d.removedPairs) deleted += st.deletePair.run(key).changes;
  const count = d.lengths.length / strings;
  const blobs = Buffer.from(d.blobs.buffer, d.blobs.byteOffset, d.blobs.byteLength);
  const text = d.text;
  let at = 0;
  const next = (len: number): string => text.slice(at, (at += len));
  for (let i = 0; i < count; i++) {
    const k = i * strings;
    const L = d.lengths;
    const key = next(L[k]!);
    const src = next(L[k + 1]!);
    const dst = next(L[k + 2]!);
    const name = next(L[k + 3]!);
    const ips = next(L[k + 4]!);
    const o = i * stride;
    const n = d.nums;
    st.upsertPair.run(key, src, dst, n[o], n[o + 1], n[o + 2], n[o + 3], n[o + 4], n[o + 5], n[o + 6], ++seq, blobs.subarray(d.offsets[i], d.ends[i]), name === '' ? null : name, ips === '' ? null : ips, Number.isNaN(n[o + 7]) ? null : n[o + 7]);
  }
  const when = new Date(d.exportedAt * 1000).toISOString();
  for (const key of d.removedBeacons) {
    st.deleteBeacon.run(key);
    st.deleteBeaconState.run(key);
  }
  for (const [key, item, detection] of d.beacons) {
    if (st.updateBeacon.run(item, when, key).changes === 0) st.insertBeacon.run(key, item, when, when);
    st.upsertBeaconState.run(key, detection);
  }
  for (const key of d.removedCooldowns) st.deleteCooldown.run(key);
  for (const [key, atSec, score, severity] of d.cooldowns) st.upsertCooldown.run(key, atSec, score, severity);
  for (const [name, value] of d.counters) st.upsertCounter.run(name, value);
  st.setMeta.run('exported_at', String(d.exportedAt));
  return { written: count, deleted, seq };
}

/** Wraps {@link writePacked} in one transaction of `db`. */
export function writeTransaction(db: Database.Database, st: WriteStatements): (d: PackedDelta, seq: number) => WriteResult {
  return db.transaction((d: PackedDelta, seq: number) => writePacked(st, d, seq));
}
