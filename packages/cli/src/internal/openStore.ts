import { resolve } from 'node:path';
import type { BeaconConfig } from '@beacon/config';
import { SqliteStore } from '@beacon/store-sqlite';

/**
 * The SQLite store `persistence` asks for, or null when it is off (`enabled: false` or
 * `db_path: null`). Throws a StoreError naming the file and what to do.
 */
export function openStore(config: BeaconConfig): SqliteStore | null {
  const { enabled, db_path: dbPath } = config.persistence;
  if (!enabled || dbPath === null) return null;
  return new SqliteStore({ path: resolve(dbPath), alertRetentionSeconds: Math.max(config.control_plane.data_retention, 7 * 86_400) });
}
