import type { DataPlaneStats } from '../telemetry/wire.js';

/**
 * Data plane nodes remembered; the one silent longest is forgotten beyond it (counted in
 * `nodesEvicted`, its drops kept in the totals). Node ids are at most 256 characters, so this
 * bounds the memory any number of senders can make the server hold to well under 1 MB.
 */
export const MAX_NODES = 1024;

interface NodeDrops {
  last: DataPlaneStats;
  /** Totals carried over from before the node restarted (its counters went down). */
  carried: DataPlaneStats;
  lastSeenMs: number;
}

/** The server's own counters (the detector and the dispatcher keep theirs). */
export class ServerState {
  readonly startMs: number;
  requestsReceived = 0;
  batchesProcessed = 0;
  /** Events in accepted batches, as sent (the original's events_received). */
  eventsReceived = 0;
  /** Events the detector took. */
  eventsAccepted = 0;
  /** Events dropped by the allowlist or behind a full history ring. */
  eventsDropped = 0;
  /** Events rejected, by reason (`invalid_wire` for wire-format problems, else the detector's reason). */
  readonly eventsRejected: Map<string, number> = new Map();
  /** Whole batches refused, by HTTP status. */
  readonly batchesRejected: Map<number, number> = new Map();
  /** Last cumulative drop counters reported by each data plane node. */
  readonly nodes: Map<string, NodeDrops> = new Map();
  lastAnalysisSeconds = 0;
  /** Nodes forgotten to stay within MAX_NODES. */
  nodesEvicted = 0;
  /** Drops counted by nodes forgotten to respect MAX_NODES (kept in the totals). */
  private retired = { ebpf: 0, overflow: 0 };

  constructor(startMs: number) {
    this.startMs = startMs;
  }

  reject(reason: string, n: number): void {
    if (n > 0) this.eventsRejected.set(reason, (this.eventsRejected.get(reason) ?? 0) + n);
  }

  get rejectedTotal(): number {
    let n = 0;
    for (const v of this.eventsRejected.values()) n += v;
    return n;
  }

  refuseBatch(status: number): void {
    this.batchesRejected.set(status, (this.batchesRejected.get(status) ?? 0) + 1);
  }

  /**
   * Keeps the latest cumulative counters per node. When a counter goes down the node restarted:
   * what it had counted is carried over, so the totals never decrease (Prometheus counters).
   */
  nodeStats(node: string, stats: DataPlaneStats, nowMs: number): void {
    const prev = this.nodes.get(node);
    const carried = prev ? { ...prev.carried } : { events_dropped_ebpf: 0, events_dropped_overflow: 0 };
    if (prev) {
      if (stats.events_dropped_ebpf < prev.last.events_dropped_ebpf) carried.events_dropped_ebpf += prev.last.events_dropped_ebpf;
      if (stats.events_dropped_overflow < prev.last.events_dropped_overflow) carried.events_dropped_overflow += prev.last.events_dropped_overflow;
    }
    this.nodes.delete(node); // re-insert: the map's order is least recently reporting first
    if (this.nodes.size >= MAX_NODES) {
      const [oldest, drops] = this.nodes.entries().next().value as [string, NodeDrops];
      this.retired.ebpf += drops.carried.events_dropped_ebpf + drops.last.events_dropped_ebpf;
      this.retired.overflow += drops.carried.events_dropped_overflow + drops.last.events_dropped_overflow;
      this.nodes.delete(oldest);
      this.nodesEvicted++;
    }
    this.nodes.set(node, { last: { ...stats }, carried, lastSeenMs: nowMs });
  }

  /** Sums over nodes: `ebpf` (kernel ring-buffer drops) and `overflow` (export buffer drops). */
  dropTotals(): { ebpf: number; overflow: number } {
    let { ebpf, overflow } = this.retired;
    for (const s of this.nodes.values()) {
      ebpf += s.carried.events_dropped_ebpf + s.last.events_dropped_ebpf;
      overflow += s.carried.events_dropped_overflow + s.last.events_dropped_overflow;
    }
    return { ebpf, overflow };
  }
}
