import type { Alert, AlertDispatcher } from '@beacon/alerting';
import { pairKey, type Detector, type DetectorStore, type StateDelta } from '@beacon/detector';
import type { ServerLogger } from '../appDeps.js';
import type { ServerState } from '../internal/serverState.js';
import { mergeDeltas } from './mergeDeltas.js';
import { readServerCounters, restoreServerCounters, SERVER_PREFIX } from './serverCounters.js';

/** A detector store that may also keep delivered alerts (the SQLite store does). */
export type PersistenceStore = DetectorStore & {
  /** Appends alerts (oldest first) in one transaction. */
  saveAlerts?(alerts: readonly Alert[]): Promise<void>;
  /** The newest `limit` alerts, oldest first. */
  loadAlerts?(limit: number): Promise<Alert[]>;
  /** The database file, when there is one (named in errors). */
  readonly path?: string;
};

/** Prefix of the alert dispatcher's counters in a store's counters map. */
const ALERTER_PREFIX = 'alerter.';

/** Alerts restored into the dispatcher's recent list at start (the original's number). */
const RESTORED_ALERTS = 1000;

/** What {@link Persistence} works with. */
export interface PersistenceParts {
  store: PersistenceStore;
  detector: Detector;
  dispatcher: AlertDispatcher;
  /** Alerts are captured at enqueue when no sink will ever report a delivery. */
  sinkCount: number;
  /** @internal The HTTP server's counters, persisted with a `server.` prefix. */
  serverState: ServerState | undefined;
  logger: ServerLogger | undefined;
}

/**
 * Restores the control plane from a store at start, then writes batches: every flush is one
 * detector delta (pairs, beacons, cooldowns, detector, server and alert dispatcher counters) in one transaction,
 * and the alerts delivered since the previous flush in a sibling one. Nothing is written per
 * event. A failed write is logged and retried with the next flush (merged), never dropped.
 */
export class Persistence {
  readonly #p: PersistenceParts;
  #pendingAlerts: Alert[] = [];
  readonly #captured = new WeakSet<Alert>();
  #retry: StateDelta | null = null;
  #extraRemoved: string[] = [];
  #flushing: Promise<void> | null = null;
  /** The flush that runs after the one in progress, shared by every call made meanwhile. */
  #queued: Promise<void> | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Flushes that failed (retried with the next one). */
  failures = 0;
  /** Set once `restore` succeeded: nothing is written before, so a failed restore never overwrites saved state. */
  #restored = false;

  constructor(parts: PersistenceParts) {
    this.#p = parts;
    const capture = (alert: Alert): void => {
      if (this.#captured.has(alert)) return;
      this.#captured.add(alert);
      this.#pendingAlerts.push(alert);
    };
    // Written after delivery, as the original does: the first sink to settle an alert records it.
    parts.dispatcher.on('sent', capture);
    parts.dispatcher.on('failed', capture);
    parts.dispatcher.on('dropped', (alert, reason) => {
      if (reason === 'queue_full') capture(alert as Alert);
    });
  }

  /** Records an alert just enqueued (only when there are no sinks to report its delivery). */
  enqueued(alert: Alert): void {
    if (this.#p.sinkCount === 0) {
      this.#captured.add(alert);
      this.#pendingAlerts.push(alert);
    }
  }

  /** Loads the saved state into the detector, the server counters and the recent alerts. */
  async restore(): Promise<{ pairs: number; beacons: number; alerts: number }> {
    const { store, detector, dispatcher, serverState, logger } = this.#p;
    const state = await store.load();
    let pairs = 0;
    let beacons = 0;
    if (state) {
      const server: Record<string, number> = {};
      const alerter: Record<string, number> = {};
      for (const [k, v] of Object.entries(state.counters)) {
        if (k.startsWith(SERVER_PREFIX)) server[k] = v;
        else if (k.startsWith(ALERTER_PREFIX)) alerter[k.slice(ALERTER_PREFIX.length)] = v;
      }
      // The store holds what exportDelta gave it: addresses need not be parsed again.
      detector.importState(state, { trusted: true });
      if (serverState) restoreServerCounters(serverState, server);
      // the dispatcher's totals (alerts sent, by severity, per sink) continue too
      try {
        const skipped = dispatcher.restoreCounters(alerter);
        if (skipped.length > 0) logger?.info({ counters: skipped }, 'saved counters of sinks no longer configured were not restored');
      } catch (error) {
        logger?.warn({ err: error }, `alert counters not restored: ${(error as Error).message}`);
      }
      pairs = detector.pairCount;
      beacons = detector.beaconCount;
      if (pairs < state.pairs.length) {
        // Pairs the detector refused (over maxPairs, allowlisted since): delete them from the store too.
        const kept = new Set(detector.pairs().map((p) => p.pairKey));
        this.#extraRemoved = state.pairs.map((p) => pairKey(p.srcIp, p.dstIp, p.dstPort, p.protocol)).filter((k) => !kept.has(k));
      }
    }
    const alerts = store.loadAlerts ? await store.loadAlerts(RESTORED_ALERTS) : [];
    dispatcher.restoreRecent(alerts);
    this.#restored = true;
    logger?.info({ pairs, beacons, alerts: alerts.length, ...(store.path ? { db: store.path } : {}) }, 'state restored');
    return { pairs, beacons, alerts: alerts.length };
  }

  /**
   * Writes everything changed before this call. A flush in progress took its delta before the
   * call, so the call writes another one after it; the calls made meanwhile share that one.
   */
  flush(): Promise<void> {
    if (!this.#restored) return Promise.resolve();
    if (!this.#flushing) return this.#start();
    this.#queued ??= this.#flushing
      .catch(() => undefined)
      .then(() => {
        this.#queued = null;
        return this.#start();
      });
    return this.#queued;
  }
  #start(): Promise<void> {
    const flushing = this.#flush().finally(() => {
      if (this.#flushing === flushing) this.#flushing = null;
    });
    this.#flushing = flushing;
    return flushing;
  }

  async #flush(): Promise<void> {
    const { store, detector, serverState, logger } = this.#p;
    let delta = detector.exportDelta();
    if (serverState) Object.assign(delta.counters, readServerCounters(serverState));
    for (const [k, v] of Object.entries(this.#p.dispatcher.counters())) delta.counters[`${ALERTER_PREFIX}${k}`] = v;
    if (this.#extraRemoved.length > 0) {
      delta.removedPairs.push(...this.#extraRemoved);
      this.#extraRemoved = [];
    }
    if (this.#retry) delta = mergeDeltas(this.#retry, delta);
    const alerts = this.#pendingAlerts;
    this.#pendingAlerts = [];
    try {
      await store.save(delta);
      this.#retry = null;
    } catch (error) {
      this.failures++;
      this.#retry = delta;
      this.#pendingAlerts = alerts.concat(this.#pendingAlerts);
      logger?.error({ err: error, failures: this.failures }, `saving state failed (retried at the next flush): ${(error as Error).message}`);
      return;
    }
    if (alerts.length === 0 || !store.saveAlerts) return;
    try {
      await store.saveAlerts(alerts);
    } catch (error) {
      this.failures++;
      this.#pendingAlerts = alerts.concat(this.#pendingAlerts);
      logger?.error({ err: error, failures: this.failures }, `saving alerts failed (retried at the next flush): ${(error as Error).message}`);
    }
  }

  /** Flushes every `intervalMs` (the timer does not keep the process alive). */
  startLoop(intervalMs: number): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.flush(), intervalMs);
    this.#timer.unref();
  }

  /** Stops the loop, writes the last changes and closes the store. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    await this.#p.store.close();
  }
}
