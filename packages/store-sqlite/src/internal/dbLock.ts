import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { StoreError } from '../storeError.js';

/** Who holds a database file: written in its `meta` table by the holder, read by whoever is refused. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO 8601 time the holder opened the file. */
  since: string;
}

/** The holder record of this process, as written in `meta` under {@link HOLDER_KEY}. */
export function thisHolder(): LockHolder {
  return { pid: process.pid, host: hostname(), since: new Date().toISOString() };
}

/** `meta` key of the holder record. */
export const HOLDER_KEY = 'writer';

function describeHolder(dbPath: string): string {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 1000 });
    try {
      const row = db.prepare(`SELECT value FROM meta WHERE key = ?`).get(HOLDER_KEY) as { value?: string } | undefined;
      const h = JSON.parse(row?.value ?? 'null') as Partial<LockHolder> | null;
      if (h && typeof h.pid === 'number') return `pid ${h.pid} on ${String(h.host)}, since ${String(h.since)}`;
    } finally {
      db.close();
    }
  } catch {
    // the holder is still creating the file, or it is not ours: say what we know
  }
  return 'holder unknown';
}

/**
 * An exclusive lock on a database file, so two processes (or two stores in one process) never
 * write the same file: the second would end with one's pairs and the other's counters. The
 * lock is SQLite's own (POSIX advisory) lock on a small sidecar file `<path>.lock`, held for as
 * long as the store is open; the kernel drops it when the holder exits, even by SIGKILL, so a
 * crash never leaves a stale lock behind.
 */
export class DbLock {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
  }

  /**
   * Takes the lock of `dbPath` or throws.
   * @throws {@link StoreError} `LOCKED` naming the holder (pid, host, since when)
   */
  static acquire(dbPath: string): DbLock {
    const lockPath = `${dbPath}.lock`;
    let db: Database.Database;
    try {
      db = new Database(lockPath, { timeout: 0 });
    } catch (error) {
      throw new StoreError('OPEN_FAILED', dbPath, `cannot open the database ${dbPath}: cannot create its lock file ${lockPath}: ${(error as Error).message}`, { cause: error });
    }
    try {
      // Exclusive locking mode keeps the lock after the transaction that took it.
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY); COMMIT');
    } catch (error) {
      db.close();
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY')
        throw new StoreError(
          'LOCKED',
          dbPath,
          `${dbPath} is in use by another Beacon process (${describeHolder(dbPath)}): stop it, or set persistence.db_path to another file`,
        );
      throw new StoreError('OPEN_FAILED', dbPath, `cannot lock ${dbPath} (through ${lockPath}): ${(error as Error).message}`, { cause: error });
    }
    return new DbLock(db);
  }

  /** Releases the lock (idempotent). */
  release(): void {
    if (this.#db.open) this.#db.close();
  }
}
