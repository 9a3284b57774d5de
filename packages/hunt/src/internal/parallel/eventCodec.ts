import type { ConnectionEvent, Direction, EventKind } from '@beacon/detector';

/**
 * Events as a parse worker sends them to the main thread: columns in two typed arrays (whose
 * buffers are transferred, not copied) and addresses as ids into a table the worker grows as
 * it meets new addresses. Cloning event objects instead costs more than parsing them.
 */
export interface EncodedEvents {
  count: number;
  /** Per event: tsSec, tsNsec, bytes, packets, durationSec (NaN when absent). */
  f64: Float64Array;
  /**
   * Per event: srcIp id, dstIp id, srcPort, dstPort, protocol, tcpFlags, and
   * `failed << 8 | localResp << 6 | localOrig << 4 | kind << 2 | direction` (each optional
   * boolean as 0 absent, 1 false, 2 true).
   */
  u32: Uint32Array;
  /** Addresses first seen in this message; ids continue from the previous message's. */
  newIps: string[];
  /** Other strings (node ids, connection states, server names) first seen in this message. */
  newStrings: string[];
  /** Per event: node id, connState id + 1 and serverName id + 1 (0: absent), into the strings table. */
  strs: Uint32Array;
}

const F = 5;
const U = 7;
const KINDS: readonly EventKind[] = ['flow_start', 'burst', 'flow_end'];
const DIRECTIONS: readonly Direction[] = ['ingress', 'egress', 'unknown'];
const KIND_ID: Record<string, number> = { flow_start: 0, burst: 1, flow_end: 2 };
const DIRECTION_ID: Record<string, number> = { ingress: 0, egress: 1, unknown: 2 };

/** Worker side: keeps the address and node tables across messages. */
export class EventEncoder {
  private readonly ips = new Map<string, number>();
  private readonly strings = new Map<string, number>();

  private id(table: Map<string, number>, value: string, fresh: string[]): number {
    let id = table.get(value);
    if (id === undefined) {
      id = table.size;
      table.set(value, id);
      fresh.push(value);
    }
    return id;
  }

  encode(events: readonly ConnectionEvent[]): EncodedEvents {
    const n = events.length;
    const f64 = new Float64Array(n * F);
    const u32 = new Uint32Array(n * U);
    const strs = new Uint32Array(n * 3);
    const newIps: string[] = [];
    const newStrings: string[] = [];
    for (let i = 0; i < n; i++) {
      const e = events[i] as ConnectionEvent;
      const f = i * F;
      f64[f] = e.tsSec;
      f64[f + 1] = e.tsNsec;
      f64[f + 2] = e.bytes;
      f64[f + 3] = e.packets;
      f64[f + 4] = e.durationSec === undefined ? Number.NaN : e.durationSec;
      const u = i * U;
      u32[u] = this.id(this.ips, e.srcIp, newIps);
      u32[u + 1] = this.id(this.ips, e.dstIp, newIps);
      u32[u + 2] = e.srcPort;
      u32[u + 3] = e.dstPort;
      u32[u + 4] = e.protocol;
      u32[u + 5] = e.tcpFlags;
      u32[u + 6] = (tri(e.failed) << 8) | (tri(e.localResp) << 6) | (tri(e.localOrig) << 4) | ((KIND_ID[e.kind] ?? 0) << 2) | (DIRECTION_ID[e.direction] ?? 2);
      strs[i * 3] = this.id(this.strings, e.node, newStrings);
      if (e.connState !== undefined) strs[i * 3 + 1] = this.id(this.strings, e.connState, newStrings) + 1;
      if (e.serverName !== undefined) strs[i * 3 + 2] = this.id(this.strings, e.serverName, newStrings) + 1;
    }
    return { count: n, f64, u32, newIps, newStrings, strs };
  }
}

/** The buffers to transfer with an encoded message. */
export function transferList(e: EncodedEvents): ArrayBuffer[] {
  return [e.f64.buffer as ArrayBuffer, e.u32.buffer as ArrayBuffer, e.strs.buffer as ArrayBuffer];
}

/**
 * Main side: one per worker (its tables follow that worker's messages in order). With `reuse`,
 * the same event objects are overwritten batch after batch (the detector keeps none of them),
 * which spares the collector most of its work; without it every event is a new object.
 */
export class EventDecoder {
  private readonly ips: string[] = [];
  private readonly strings: string[] = [];
  private pool: ConnectionEvent[] = [];

  constructor(private readonly reuse: boolean) {}

  /** Takes in the tables of a message: call once per message, in the worker's order. */
  absorb(m: EncodedEvents): void {
    for (const ip of m.newIps) this.ips.push(ip);
    for (const str of m.newStrings) this.strings.push(str);
  }

  /** Events `from` to `to` of an absorbed message. */
  decode(m: EncodedEvents, from = 0, to: number = m.count): ConnectionEvent[] {
    const n = to - from;
    const { f64, u32, strs } = m;
    const strings = this.strings;
    const ips = this.ips;
    let out: ConnectionEvent[];
    if (this.reuse) {
      while (this.pool.length < n) this.pool.push(pooled());
      out = this.pool.length === n ? this.pool : this.pool.slice(0, n);
    } else out = new Array<ConnectionEvent>(n);
    for (let j = 0; j < n; j++) {
      const i = from + j;
      const e = this.reuse ? (out[j] as ConnectionEvent) : blank();
      const f = i * F;
      const u = i * U;
      e.tsSec = f64[f] as number;
      e.tsNsec = f64[f + 1] as number;
      e.bytes = f64[f + 2] as number;
      e.packets = f64[f + 3] as number;
      const d = f64[f + 4] as number;
      if (d === d) e.durationSec = d;
      else if (this.reuse) e.durationSec = undefined; // keeps the pooled objects' shape
      else delete e.durationSec;
      e.srcIp = ips[u32[u] as number] as string;
      e.dstIp = ips[u32[u + 1] as number] as string;
      e.srcPort = u32[u + 2] as number;
      e.dstPort = u32[u + 3] as number;
      e.protocol = u32[u + 4] as number;
      e.tcpFlags = u32[u + 5] as number;
      const kd = u32[u + 6] as number;
      e.kind = KINDS[(kd >>> 2) & 3] as EventKind;
      e.direction = DIRECTIONS[kd & 3] as Direction;
      const lo = (kd >>> 4) & 3;
      const lr = (kd >>> 6) & 3;
      const fl = (kd >>> 8) & 3;
      if (this.reuse) {
        e.localOrig = lo === 0 ? undefined : lo === 2;
        e.localResp = lr === 0 ? undefined : lr === 2;
        e.failed = fl === 0 ? undefined : fl === 2;
      } else {
        if (lo !== 0) e.localOrig = lo === 2;
        if (lr !== 0) e.localResp = lr === 2;
        if (fl !== 0) e.failed = fl === 2;
      }
      e.node = strings[strs[i * 3] as number] as string;
      const cs = strs[i * 3 + 1] as number;
      const sn = strs[i * 3 + 2] as number;
      if (this.reuse) {
        e.connState = cs === 0 ? undefined : strings[cs - 1];
        e.serverName = sn === 0 ? undefined : strings[sn - 1];
      } else {
        if (cs !== 0) e.connState = strings[cs - 1] as string;
        if (sn !== 0) e.serverName = strings[sn - 1] as string;
        out[j] = e;
      }
    }
    return out;
  }
}

/** An optional boolean as 0 (absent), 1 (false) or 2 (true). */
function tri(b: boolean | undefined): number {
  return b === undefined ? 0 : b ? 2 : 1;
}

function blank(): ConnectionEvent {
  return { tsSec: 0, tsNsec: 0, srcIp: '', dstIp: '', srcPort: 0, dstPort: 0, protocol: 0, direction: 'unknown', bytes: 0, packets: 0, tcpFlags: 0, kind: 'flow_start', node: '' };
}

/**
 * A pooled event: every optional field present (possibly undefined), so all have one shape.
 * Written out as one literal with the number fields starting as doubles: built with a spread
 * of {@link blank}, the objects went through map migrations on every overwrite (Smi fields
 * turning double) and decoding cost ~16 us per event instead of ~0.25.
 */
function pooled(): ConnectionEvent {
  return {
    tsSec: 0.5,
    tsNsec: 0.5,
    srcIp: '',
    dstIp: '',
    srcPort: 0,
    dstPort: 0,
    protocol: 0,
    direction: 'unknown',
    bytes: 0.5,
    packets: 0.5,
    tcpFlags: 0,
    kind: 'flow_start',
    node: '',
    durationSec: undefined,
    connState: undefined,
    serverName: undefined,
    localOrig: undefined,
    localResp: undefined,
    failed: undefined,
  } as unknown as ConnectionEvent;
}
