export { SqliteStore } from './sqliteStore.js';
export type { SqliteStoreOptions, SqliteStoreStats } from './sqliteStore.js';
export type { LoadReport } from './internal/readState.js';
export { StoreError, isStoreError } from './storeError.js';
export type { StoreErrorCode } from './storeError.js';
export { APPLICATION_ID, SCHEMA_VERSION } from './internal/schema.js';
