import { toBeaconItem, type AlertEvent, type AnalysisReport } from '@beacon/detector';
import type { AppContext } from './context.js';

/** One event of `GET /api/v1/stream`. */
export interface StreamEvent {
  id: number;
  event: 'hello' | 'stats' | 'alert' | 'analysis';
  data: unknown;
}

/** A connected stream client. */
export interface StreamClient {
  send(e: StreamEvent): void;
  close(): void;
}

/** Alert and analysis events kept for clients that reconnect with `Last-Event-ID`. */
const REPLAY = 256;

/**
 * Fans the control plane's live events out to the `/api/v1/stream` clients: `alert` (each alert
 * the detector raises, with the beacon item), `analysis` (each finished run) and `stats` (the
 * overview counters every `intervalMs`, only while someone listens). Keeps the last alert and
 * analysis events so a client reconnecting with `Last-Event-ID` misses none of them.
 */
export class StreamHub {
  private readonly clients = new Set<StreamClient>();
  private readonly recent: StreamEvent[] = [];
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private alertsGenerated: number;
  private lastEvents: { at: number; count: number };

  constructor(
    private readonly ctx: AppContext,
    private readonly intervalMs: number,
    /** Most clients at once. */
    readonly maxClients: number,
  ) {
    this.alertsGenerated = ctx.detector.stats().analyzer.total_alerts_generated;
    this.lastEvents = { at: ctx.now(), count: ctx.state.eventsReceived };
    ctx.detector.on('alert', (a: AlertEvent) => {
      this.alertsGenerated++;
      const item = toBeaconItem(a.detection);
      this.publish('alert', {
        alert_id: `${item.pair_key}@${item.analysis_time}`,
        severity: item.confidence,
        timestamp: item.analysis_time,
        reason: a.reason,
        pair_key: item.pair_key,
        combined_score: item.combined_score,
        details: item,
      });
    });
    ctx.detector.on('analysis', (r: AnalysisReport) => this.publish('analysis', r.run));
  }

  /** Connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Registers a client; replays what it missed after `lastId`; starts the stats timer. */
  add(client: StreamClient, lastId: number | null): void {
    this.clients.add(client);
    client.send({ id: this.seq, event: 'hello', data: { version: this.ctx.version, interval_ms: this.intervalMs } });
    if (lastId !== null) for (const e of this.recent) if (e.id > lastId) client.send(e);
    client.send({ id: this.seq, event: 'stats', data: this.stats() });
    this.timer ??= setInterval(() => this.broadcast({ id: this.seq, event: 'stats', data: this.stats() }), this.intervalMs);
    this.timer.unref?.();
  }

  /** Unregisters a client; stops the timer with the last one. */
  remove(client: StreamClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Ends every stream (server shutdown), so closing the server does not wait for them. */
  closeAll(): void {
    for (const c of [...this.clients]) {
      c.close();
      this.remove(c);
    }
  }

  /** The overview counters. */
  stats(): Record<string, number> {
    const now = this.ctx.now();
    const events = this.ctx.state.eventsReceived;
    const dt = (now - this.lastEvents.at) / 1000;
    const rate = dt > 0 ? (events - this.lastEvents.count) / dt : 0;
    this.lastEvents = { at: now, count: events };
    const q = this.ctx.alerts?.stats();
    return {
      time: now / 1000,
      events_received: events,
      events_per_second: Math.max(0, Math.round(rate * 10) / 10),
      pair_count: this.ctx.detector.pairCount,
      beacon_count: this.ctx.detector.beaconCount,
      alerts_generated: this.alertsGenerated,
      queue_fill_percent: q?.fill_percent ?? 0,
      queue_drops: q?.drops ?? 0,
    };
  }

  private publish(event: StreamEvent['event'], data: unknown): void {
    const e: StreamEvent = { id: ++this.seq, event, data };
    this.recent.push(e);
    if (this.recent.length > REPLAY) this.recent.shift();
    this.broadcast(e);
  }

  private broadcast(e: StreamEvent): void {
    for (const c of this.clients) c.send(e);
  }
}
