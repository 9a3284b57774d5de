import { isAlertSeverity, type Alert } from '@beacon/alerting';
import type { DetectorState, DetectorStore, StateDelta } from '@beacon/detector';
import type Database from 'better-sqlite3';
import { packDelta, type PackedDelta } from './internal/packDelta.js';
import { readState, type LoadReport } from './internal/readState.js';
import { DbLock, HOLDER_KEY, thisHolder } from './internal/dbLock.js';
import { openDatabase, openError } from './internal/schema.js';
import { prepareStatements, type Statements } from './internal/statements.js';
import { writeTransaction, type WriteResult } from './internal/writeDelta.js';
import { WriterThread } from './internal/writerThread.js';
import { StoreError } from './storeError.js';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file; created when missing. `:memory:` keeps it in memory (tests). */
  path: string;
  /** Run `PRAGMA quick_check` when opening, so a damaged file is refused at start-up. @default true */
  check?: boolean;
  /** Alerts older than this (by their `timestamp`) are deleted. @default 604800 (7 days) */
  alertRetentionSeconds?: number;
  /** At most this many alerts are kept (the newest). @default 100000 */
  maxAlerts?: number;
  /** Clock, milliseconds since the epoch (alert retention). @default Date.now */
  now?: () => number;
  /**
   * Run `save` transactions on a worker thread with its own connection, so a large flush does
   * not block the event loop (the caller only packs the delta). @default true, except for `:memory:`
   */
  writerThread?: boolean;
  /**
   * Hold the file exclusively while open (a lock on the sidecar `<path>.lock`, dropped by the
   * kernel if the process dies), so a second store or process on the same file is refused with
   * a `LOCKED` error naming the holder. Turn off only for read-only inspection. @default true
   */
  lock?: boolean;
}

/** What a {@link SqliteStore} has done since it was opened. */
export interface SqliteStoreStats {
  /** Transactions committed by `save`. */
  saves: number;
  pairsWritten: number;
  pairsDeleted: number;
  alertsWritten: number;
  alertsPruned: number;
  /** Alert rows that could not be decoded by `loadAlerts` (kept in the file, not restored). */
  alertsSkipped: number;
  /** Duration of the last `save` transaction, milliseconds (on the writer thread when there is one). */
  lastSaveMs: number;
  /** Time the last `save` held the caller's thread (packing the delta), milliseconds. */
  lastSaveBlockingMs: number;
}

const ALERT_PRUNE_EVERY_MS = 60_000;

/**
 * The detector's state and the control plane's alerts in one SQLite file (WAL journal):
 * the original system's `alerts` and `beacons` tables, plus `pairs` (each pair's bounded
 * history as packed typed arrays), `beacon_state`, `cooldowns`, `counters` and `meta`.
 * Each `save` is one transaction. Opening refuses, with a {@link StoreError} naming the file,
 * anything that is not ours or the original system's, and never overwrites it.
 *
 * Retention: pairs follow the detector (it expires them after `data_retention` and sends their
 * keys in `removedPairs`); alerts are kept for `alertRetentionSeconds` and at most `maxAlerts`.
 * @example
 * const store = new SqliteStore({ path: './beacon_detect.db' });
 * const state = await store.load();
 * if (state) detector.importState(state);
 * setInterval(() => void store.save(detector.exportDelta()), 5000);
 */
export class SqliteStore implements DetectorStore {
  /** The database file. */
  readonly path: string;
  /** `new`: created now; `ours`: reopened; `original`: the original system's file, migrated by adding our tables. */
  readonly origin: 'new' | 'ours' | 'original';
  /** What the last `load` read and skipped; null before the first `load`. */
  lastLoad: LoadReport | null = null;
  readonly #db: Database.Database;
  readonly #st: Statements;
  readonly #alertRetentionMs: number;
  readonly #maxAlerts: number;
  readonly #now: () => number;
  readonly #stats: SqliteStoreStats = { saves: 0, pairsWritten: 0, pairsDeleted: 0, alertsWritten: 0, alertsPruned: 0, alertsSkipped: 0, lastSaveMs: 0, lastSaveBlockingMs: 0 };
  readonly #writeDelta: (delta: PackedDelta, seq: number) => WriteResult;
  readonly #useThread: boolean;
  #thread: WriterThread | null = null;
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #writeAlerts: (alerts: readonly Alert[]) => void;
  #lastAlertPrune = -Infinity;
  #seq = 0;
  #closed = false;
  #closing: Promise<void> | null = null;
  readonly #lock: DbLock | null;

  /**
   * Opens or creates the file, and holds it (see `lock`) until `close()`.
   * @throws {@link StoreError} naming the file when it is unusable, `LOCKED` (naming the holder) when another store has it open
   */
  constructor(options: SqliteStoreOptions) {
    const { path, check = true, alertRetentionSeconds = 604_800, maxAlerts = 100_000, now = Date.now } = options;
    if (typeof path !== 'string' || path === '') throw new StoreError('INVALID_OPTIONS', String(path), 'SqliteStore: path must be a non-empty string');
    if (!(alertRetentionSeconds > 0)) throw new StoreError('INVALID_OPTIONS', path, `SqliteStore: alertRetentionSeconds must be > 0 (got ${alertRetentionSeconds})`);
    if (!Number.isInteger(maxAlerts) || maxAlerts < 1) throw new StoreError('INVALID_OPTIONS', path, `SqliteStore: maxAlerts must be a positive integer (got ${maxAlerts})`);
    this.path = path;
    this.#alertRetentionMs = alertRetentionSeconds * 1000;
    this.#maxAlerts = maxAlerts;
    this.#now = now;
    this.#lock = path === ':memory:' || options.lock === false ? null : DbLock.acquire(path);
    let opened: ReturnType<typeof openDatabase>;
    try {
      opened = openDatabase(path, check);
      if (this.#lock) opened.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`).run(HOLDER_KEY, JSON.stringify(thisHolder()));
    } catch (error) {
      this.#lock?.release();
      throw openError(path, error);
    }
    const { db, origin } = opened;
    this.#db = db;
    this.origin = origin;
    const st = (this.#st = prepareStatements(db));
    this.#seq = st.maxSeq.get() as number;
    this.#writeDelta = writeTransaction(db, st);
    this.#useThread = options.writerThread ?? path !== ':memory:';
    this.#writeAlerts = db.transaction((alerts: readonly Alert[]) => {
      const created = new Date(this.#now()).toISOString();
      for (const a of alerts) {
        st.insertAlert.run(a.alert_id, a.title, a.description, a.severity, a.source, JSON.stringify(a.details), a.timestamp, JSON.stringify(a.tags), created);
      }
      this.#stats.alertsWritten += alerts.length;
    });
  }

  #open(): void {
    if (this.#closed) throw new StoreError('CLOSED', this.path, `the store ${this.path} is closed`);
  }

  #io<T>(what: string, fn: () => T): T {
    this.#open();
    try {
      return fn();
    } catch (error) {
      throw this.#ioError(what, error);
    }
  }

  #ioError(what: string, error: unknown): StoreError {
    const e = openError(this.path, error);
    if (e.code === 'OPEN_FAILED') return new StoreError('IO_FAILED', this.path, `${what} ${this.path} failed: ${(error as Error).message}`, { cause: error });
    return e;
  }

  /**
   * Reads the saved detector state (pairs least recently seen first); null when nothing was saved.
   * Each pair carries its history as typed arrays in `history`, which `Detector.importState`
   * copies without per-event work; its `times` and `sizes` are computed when first read (they
   * are accessors: JSON.stringify gives plain snapshots, a spread or structuredClone keeps
   * `history` only).
   */
  load(): Promise<DetectorState | null> {
    return Promise.resolve().then(() =>
      this.#io('reading', () => {
        const report: LoadReport = { pairs: 0, beacons: 0, cooldowns: 0, counters: 0, alerts: 0, skipped: { pairs: 0, beacons: 0, cooldowns: 0, alerts: 0 } };
        const state = readState(this.#st, report);
        this.lastLoad = report;
        return state;
      }),
    );
  }

  /**
   * Writes one delta in one transaction (pairs, beacons, cooldowns, counters). With the writer
   * thread, only packing the delta runs on the caller's thread.
   */
  save(delta: StateDelta): Promise<void> {
    if (this.#closed) return Promise.reject(new StoreError('CLOSED', this.path, `the store ${this.path} is closed`));
    // Checked now, not when the save runs: a save started before close() completes, close() waits for it.
    const done = Promise.resolve().then(async () => {
      const t0 = performance.now();
      const packed = packDelta(delta);
      let r: WriteResult;
      let ms: number;
      try {
        if (this.#useThread) {
          this.#thread ??= new WriterThread(this.path, this.#seq);
          const pending = this.#thread.write(packed);
          this.#stats.lastSaveBlockingMs = performance.now() - t0;
          ({ result: r, ms } = await pending);
        } else {
          const t1 = performance.now();
          r = this.#writeDelta(packed, this.#seq);
          ms = performance.now() - t1;
          this.#stats.lastSaveBlockingMs = performance.now() - t0;
        }
      } catch (error) {
        throw this.#ioError('writing', error);
      }
      this.#seq = r.seq;
      this.#stats.saves++;
      this.#stats.pairsWritten += r.written;
      this.#stats.pairsDeleted += r.deleted;
      this.#stats.lastSaveMs = ms;
    });
    this.#inflight.add(done);
    const forget = (): void => void this.#inflight.delete(done);
    done.then(forget, forget);
    return done;
  }

  /** Appends delivered alerts (oldest first) in one transaction, then applies alert retention (at most once a minute). */
  saveAlerts(alerts: readonly Alert[]): Promise<void> {
    return Promise.resolve().then(() =>
      this.#io('writing alerts to', () => {
        if (alerts.length > 0) this.#writeAlerts(alerts);
        const now = this.#now();
        if (now - this.#lastAlertPrune >= ALERT_PRUNE_EVERY_MS) this.pruneAlerts();
      }),
    );
  }

  /** Deletes alerts beyond the retention age and count; returns how many went. */
  pruneAlerts(): number {
    return this.#io('pruning alerts in', () => {
      const now = this.#now();
      this.#lastAlertPrune = now;
      const n = this.#st.pruneAlertsBefore.run(new Date(now - this.#alertRetentionMs).toISOString()).changes + this.#st.pruneAlertsBeyond.run(this.#maxAlerts).changes;
      this.#stats.alertsPruned += n;
      return n;
    });
  }

  /** The newest `limit` alerts, oldest first (the order `AlertDispatcher.restoreRecent` takes). Undecodable rows are skipped and counted. */
  loadAlerts(limit = 1000): Promise<Alert[]> {
    return Promise.resolve().then(() =>
      this.#io('reading alerts from', () => {
        const out: Alert[] = [];
        let skipped = 0;
        for (const r of this.#st.recentAlerts.iterate(limit) as Iterable<Record<string, unknown>>) {
          try {
            const severity = typeof r.severity === 'string' ? r.severity.toLowerCase() : '';
            if (!isAlertSeverity(severity) || typeof r.alert_id !== 'string' || typeof r.details_json !== 'string') throw new Error('bad row');
            const tags: unknown = typeof r.tags_json === 'string' ? JSON.parse(r.tags_json) : [];
            out.push({
              alert_id: r.alert_id,
              title: String(r.title ?? ''),
              description: String(r.description ?? ''),
              severity,
              source: String(r.source ?? 'beacon_detector'),
              details: JSON.parse(r.details_json) as Alert['details'],
              timestamp: String(r.timestamp ?? ''),
              tags: Array.isArray(tags) ? tags.map(String) : [],
            });
          } catch {
            skipped++;
          }
        }
        this.#stats.alertsSkipped += skipped;
        if (this.lastLoad) {
          this.lastLoad.alerts = out.length;
          this.lastLoad.skipped.alerts = skipped;
        }
        return out.reverse();
      }),
    );
  }

  /** Pairs stored. */
  pairCount(): number {
    return this.#io('reading', () => this.#st.pairCount.get() as number);
  }

  /** Counters since the store was opened. */
  stats(): SqliteStoreStats {
    return { ...this.#stats };
  }

  /** Waits for the saves in flight, ends the writer thread, checkpoints the WAL into the main file and closes it. Idempotent. */
  close(): Promise<void> {
    if (this.#closed) return this.#closing ?? Promise.resolve();
    this.#closed = true;
    this.#closing = (async () => {
      await Promise.allSettled([...this.#inflight]);
      try {
        await this.#thread?.close();
      } finally {
        try {
          this.#db.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          this.#db.close();
          this.#lock?.release();
        }
      }
    })();
    return this.#closing;
  }
}

