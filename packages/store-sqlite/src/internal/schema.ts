import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StoreError } from '../storeError.js';

/** `PRAGMA application_id` of our files: "BCN1". */
export const APPLICATION_ID = 0x42434e31;
/** `PRAGMA user_version`: bumped on every incompatible schema change. */
export const SCHEMA_VERSION = 1;

const WHAT_TO_DO = 'Beacon never overwrites it: move the file away, or set persistence.db_path to another file (null turns persistence off)';

/** The original system's tables, with the columns its readers use. */
const ORIGINAL_COLUMNS: Record<string, readonly string[]> = {
  alerts: ['alert_id', 'title', 'description', 'severity', 'source', 'details_json', 'timestamp', 'tags_json', 'created_at'],
  beacons: ['pair_key', 'detection_json', 'first_detected', 'last_updated'],
};

const DDL = `
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id TEXT NOT NULL,
  title TEXT,
  description TEXT,
  severity TEXT,
  source TEXT,
  details_json TEXT,
  timestamp TEXT,
  tags_json TEXT,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_alerts_timestamp ON alerts(timestamp);
CREATE TABLE IF NOT EXISTS beacons (
  pair_key TEXT PRIMARY KEY,
  detection_json TEXT NOT NULL,
  first_detected TEXT,
  last_updated TEXT
);
CREATE TABLE IF NOT EXISTS beacon_state (
  pair_key TEXT PRIMARY KEY,
  detection TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pairs (
  -- Write order as the rowid: a plain table scan returns pairs least recently touched first
  -- (the LRU order survives a restart) with no sort.
  seq INTEGER PRIMARY KEY,
  pair_key TEXT NOT NULL UNIQUE,
  src_ip TEXT NOT NULL,
  dst_ip TEXT NOT NULL,
  dst_port INTEGER NOT NULL,
  protocol INTEGER NOT NULL,
  first_seen REAL NOT NULL,
  last_seen REAL NOT NULL,
  count INTEGER NOT NULL,
  max_flow_sec REAL NOT NULL,
  long_flows INTEGER NOT NULL,
  history BLOB NOT NULL,
  server_name TEXT,
  dst_ips TEXT,
  failed INTEGER
);
CREATE TABLE IF NOT EXISTS cooldowns (
  pair_key TEXT PRIMARY KEY,
  at REAL NOT NULL,
  score REAL NOT NULL,
  severity TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
  name TEXT PRIMARY KEY,
  value REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

const OUR_TABLES = new Set(['alerts', 'beacons', 'beacon_state', 'pairs', 'cooldowns', 'counters', 'meta', 'sqlite_sequence']);

/**
 * Columns added to `pairs` after its first release: a file written before them gains them (NULL)
 * when opened. Nullable, so a version that predates them still reads and writes the file.
 */
const ADDED_PAIR_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['server_name', 'TEXT'],
  ['dst_ips', 'TEXT'],
  ['failed', 'INTEGER'],
];

/** Adds the {@link ADDED_PAIR_COLUMNS} a file's `pairs` table lacks; returns their names. */
function addPairColumns(db: Database.Database): string[] {
  const have = columnsOf(db, 'pairs');
  const added: string[] = [];
  for (const [name, type] of ADDED_PAIR_COLUMNS) {
    if (have.has(name)) continue;
    db.exec(`ALTER TABLE pairs ADD COLUMN ${name} ${type}`);
    added.push(name);
  }
  return added;
}

/** What {@link openDatabase} found. */
export interface OpenedDatabase {
  db: Database.Database;
  /** `new`: created; `ours`: already ours; `original`: the original system's file, migrated. */
  origin: 'new' | 'ours' | 'original';
}

function isSqliteFile(path: string): boolean | null {
  if (!existsSync(path)) return null;
  if (statSync(path).size === 0) return true; // an empty file is a valid, empty database
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return n === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

function sqliteCode(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';
}

/** Maps an SQLite error met while opening or checking `path` to a {@link StoreError}. */
export function openError(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  const msg = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB') return new StoreError('NOT_SQLITE', path, `${path} is not an SQLite database (${msg}). ${WHAT_TO_DO}.`, { cause: error });
  if (code.startsWith('SQLITE_CORRUPT')) return new StoreError('CORRUPT', path, `${path} is corrupt (${msg}). ${WHAT_TO_DO}; keep it if you want to inspect or recover it.`, { cause: error });
  return new StoreError('OPEN_FAILED', path, `cannot open the database ${path}: ${msg}`, { cause: error });
}

function tablesOf(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>).map((r) => r.name);
}

function columnsOf(db: Database.Database, table: string): Set<string> {
  return new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((r) => r.name));
}

/**
 * Opens (or creates) `path`, refusing anything that is not ours or the original system's:
 * a non-SQLite file, another application's database, a damaged file or a newer schema all
 * throw a {@link StoreError} naming the file and what to do. WAL journal; `check` runs
 * `PRAGMA quick_check` (reads every page, so a damaged file is refused at start-up, not later).
 */
export function openDatabase(path: string, check: boolean): OpenedDatabase {
  if (isSqliteFile(path) === false) throw new StoreError('NOT_SQLITE', path, `${path} is not an SQLite database. ${WHAT_TO_DO}.`);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw openError(path, error);
  }
  try {
    db.pragma('busy_timeout = 5000');
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = tablesOf(db);
    let origin: OpenedDatabase['origin'];
    if (appId === APPLICATION_ID) {
      if (version > SCHEMA_VERSION) {
        throw new StoreError('NEWER_SCHEMA', path, `${path} has schema version ${version}, newer than this version of Beacon understands (${SCHEMA_VERSION}); upgrade Beacon, or move the file away or set persistence.db_path to another file`);
      }
      origin = 'ours';
    } else if (appId !== 0) {
      throw new StoreError('FOREIGN_DATABASE', path, `${path} belongs to another application (application_id 0x${(appId >>> 0).toString(16)}). ${WHAT_TO_DO}.`);
    } else if (tables.length === 0) {
      origin = 'new';
    } else {
      const foreign = tables.filter((t) => !(t in ORIGINAL_COLUMNS));
      const missing = Object.entries(ORIGINAL_COLUMNS).flatMap(([t, cols]) => (tables.includes(t) ? cols.filter((c) => !columnsOf(db, t).has(c)).map((c) => `${t}.${c}`) : []));
      if (foreign.length > 0 || missing.length > 0) {
        const why = foreign.length > 0 ? `tables ${foreign.join(', ')}` : `missing columns ${missing.join(', ')}`;
        throw new StoreError('FOREIGN_DATABASE', path, `${path} is an SQLite database of another application (${why}). ${WHAT_TO_DO}.`);
      }
      origin = 'original';
    }
    if (check) {
      const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
      if (rows[0]?.quick_check !== 'ok') {
        throw new StoreError('CORRUPT', path, `${path} failed its integrity check (${rows.slice(0, 3).map((r) => r.quick_check).join('; ')}). ${WHAT_TO_DO}; keep it if you want to inspect or recover it.`);
      }
    }
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses nothing committed; only a power cut may lose the last commits.
    db.pragma('synchronous = NORMAL');
    if (origin !== 'ours' || tables.some((t) => !OUR_TABLES.has(t)) || tables.length < OUR_TABLES.size - 1) {
      db.transaction(() => {
        db.exec(DDL);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
        db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?), ('created_from', ?)`).run(new Date().toISOString(), origin);
      })();
    }
    db.transaction(() => {
      const added = addPairColumns(db);
      if (added.length > 0) db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`).run(`migrated_${added.join('_')}`, new Date().toISOString());
    })();
    return { db, origin };
  } catch (error) {
    db.close();
    throw openError(path, error);
  }
}
