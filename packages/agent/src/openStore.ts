import { resolve } from 'node:path';
import type { BeaconConfig } from '@beacon/config';
import { SqliteStore } from '@beacon/store-sqlite';

/**
 * The SQLite store the config's `persistence:` section asks for, or null when it is off
 * (`enabled: false` or `db_path: null`). Alerts are kept at least as long as
 * `control_plane.data_retention` and at least 7 days.
 * @throws `StoreError` naming the file and what to do
 * @example
 * const store = openStore(loadConfig('beacon.yaml'));
 * const pipeline = createPipeline(config, store ? { store } : {});
 */
export function openStore(config: BeaconConfig): SqliteStore | null {
  const { enabled, db_path: dbPath } = config.persistence;
  if (!enabled || dbPath === null) return null;
  return new SqliteStore({ path: resolve(dbPath), alertRetentionSeconds: Math.max(config.control_plane.data_retention, 7 * 86_400) });
}
