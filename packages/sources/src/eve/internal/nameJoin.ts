/** Counters of the flow_id join, exposed as `stats.eve.names`. */
export interface NameJoinStats {
  /** Flow records that got a name. */
  joined: number;
  /** Names waiting for their flow record. */
  pending: number;
  /** Names dropped unjoined because the table was full (oldest first). */
  dropped: number;
}

interface Pending {
  name: string;
  slot: number;
}

/**
 * Names seen on a flow (TLS SNI, HTTP Host, DNS query) kept by `flow_id` until the flow record
 * arrives: Suricata logs app-layer records while the flow is alive and the flow record when it
 * ends, so the name comes first. Bounded: the table remembers the last `capacity` names added;
 * a name still waiting when its slot comes round again is dropped and counted. (A ring of slots
 * rather than "delete the Map's first key": V8 keeps deleted Map entries until it rehashes, so
 * finding the first live key again and again costs time proportional to the table.)
 */
export class NameJoin {
  private readonly names = new Map<string, Pending>();
  private readonly ring: (string | undefined)[];
  private next = 0;
  readonly stats: NameJoinStats;

  constructor(capacity: number, stats: NameJoinStats) {
    this.ring = new Array<string | undefined>(Math.max(1, Math.floor(capacity))).fill(undefined);
    this.stats = stats;
  }

  /** Remembers the first name of a flow (a TLS SNI wins over a later HTTP Host on the same flow). */
  add(flowId: string, name: string): void {
    if (this.names.has(flowId)) return;
    const slot = this.next;
    this.next = slot + 1 === this.ring.length ? 0 : slot + 1;
    const old = this.ring[slot];
    if (old !== undefined && this.names.get(old)?.slot === slot) {
      this.names.delete(old);
      this.stats.dropped++;
    }
    this.ring[slot] = flowId;
    this.names.set(flowId, { name, slot });
    this.stats.pending = this.names.size;
  }

  /** The name of a flow, removed from the table; undefined when none was seen. */
  take(flowId: string): string | undefined {
    const entry = this.names.get(flowId);
    if (entry === undefined) return undefined;
    this.names.delete(flowId);
    this.stats.joined++;
    this.stats.pending = this.names.size;
    return entry.name;
  }
}
