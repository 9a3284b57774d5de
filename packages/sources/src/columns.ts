import type { ConnectionEvent, Direction, EventKind } from '@beacon/detector';
import { ipv4Text } from '@beacon/detector';
import { SourceError } from './errors.js';

/** A writer's batch size: a positive integer, or a SourceError `INVALID_OPTION` naming it. */
function checkBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1 << 24) throw new SourceError('INVALID_OPTION', `batchSize must be an integer from 1 to ${1 << 24}, got ${JSON.stringify(batchSize)}`);
  return batchSize;
}

/**
 * Events as columns: a batch of events in three typed arrays, with addresses and other strings
 * as ids into tables that grow batch by batch. This is how events cross threads cheaply (the
 * arrays' buffers are transferred, not copied; cloning event objects costs more than parsing
 * them), and what {@link readZeekConnColumns} writes straight from conn.log bytes without
 * making an event object per row.
 *
 * Ids continue from batch to batch of one {@link EventColumnsEncoder}: decode the batches with
 * one {@link EventColumnsDecoder}, {@link EventColumnsDecoder.absorb | absorbing} each batch's
 * new table entries in the encoder's order.
 */
export interface EventColumns {
  count: number;
  /** Per event, {@link EVENT_COLUMNS_F64} values: tsSec, tsNsec, bytes, packets, durationSec (NaN when absent). */
  f64: Float64Array;
  /**
   * Per event, {@link EVENT_COLUMNS_U32} values: srcIp id, dstIp id, srcPort, dstPort, protocol,
   * tcpFlags, and `failed << 8 | localResp << 6 | localOrig << 4 | kind << 2 | direction` (each
   * optional boolean as 0 absent, 1 false, 2 true; kind 0 flow_start, 1 burst, 2 flow_end;
   * direction 0 ingress, 1 egress, 2 unknown).
   */
  u32: Uint32Array;
  /** Addresses first seen in this batch; ids continue from the previous batch's. */
  newIps: string[];
  /** Other strings (node ids, connection states, server names) first seen in this batch. */
  newStrings: string[];
  /** Per event, 3 values: node id, connState id + 1 and serverName id + 1 (0: absent), into the strings table. */
  strs: Uint32Array;
}

/** Float64 values per event in {@link EventColumns.f64}. */
export const EVENT_COLUMNS_F64 = 5;
/** Uint32 values per event in {@link EventColumns.u32}. */
export const EVENT_COLUMNS_U32 = 7;
const F = EVENT_COLUMNS_F64;
const U = EVENT_COLUMNS_U32;
const KINDS: readonly EventKind[] = ['flow_start', 'burst', 'flow_end'];
const DIRECTIONS: readonly Direction[] = ['ingress', 'egress', 'unknown'];
const KIND_ID: Record<string, number> = { flow_start: 0, burst: 1, flow_end: 2 };
const DIRECTION_ID: Record<string, number> = { ingress: 0, egress: 1, unknown: 2 };

/**
 * The last `u32` value of an event in {@link EventColumns}: its kind, direction and optional
 * booleans packed as `failed << 8 | localResp << 6 | localOrig << 4 | kind << 2 | direction`.
 */
export function eventBits(kind: EventKind, direction: Direction, localOrig: boolean | undefined, localResp: boolean | undefined, failed: boolean | undefined): number {
  return (tri(failed) << 8) | (tri(localResp) << 6) | (tri(localOrig) << 4) | ((KIND_ID[kind] ?? 0) << 2) | (DIRECTION_ID[direction] ?? 2);
}

/** Writes the fields packed by {@link eventBits} into a reused event (every optional field set, undefined when absent). */
function unpackBits(e: ConnectionEvent, bits: number): void {
  e.kind = KINDS[(bits >>> 2) & 3] as EventKind;
  e.direction = DIRECTIONS[bits & 3] as Direction;
  const lo = (bits >>> 4) & 3;
  const lr = (bits >>> 6) & 3;
  const fl = (bits >>> 8) & 3;
  e.localOrig = lo === 0 ? undefined : lo === 2;
  e.localResp = lr === 0 ? undefined : lr === 2;
  e.failed = fl === 0 ? undefined : fl === 2;
}
/**
 * IPv4 address (32 bits) -> id, open addressing with linear probing. Hand-written because a
 * Map keyed by numbers above 2^31 boxes every key, which costs more than parsing the row.
 */
class Ipv4Ids {
  private keys = new Int32Array(1 << 12);
  private ids = new Int32Array(1 << 12).fill(-1);
  private count = 0;
  private shift = 32 - 12;

  /** The id of `v`, or -1. */
  get(v: number): number {
    const keys = this.keys;
    const ids = this.ids;
    const mask = keys.length - 1;
    const k = v | 0;
    for (let slot = Math.imul(k, 0x9e3779b1) >>> this.shift; ; slot = (slot + 1) & mask) {
      const id = ids[slot] as number;
      if (id < 0 || keys[slot] === k) return id;
    }
  }

  /** Records the id of `v` (not present yet). */
  set(v: number, id: number): void {
    if ((this.count + 1) * 2 > this.keys.length) {
      const oldKeys = this.keys;
      const oldIds = this.ids;
      this.keys = new Int32Array(oldKeys.length * 2);
      this.ids = new Int32Array(oldKeys.length * 2).fill(-1);
      this.shift--;
      this.count = 0;
      for (let i = 0; i < oldKeys.length; i++) if ((oldIds[i] as number) >= 0) this.set(oldKeys[i] as number, oldIds[i] as number);
    }
    const keys = this.keys;
    const ids = this.ids;
    const mask = keys.length - 1;
    const k = v | 0;
    let slot = Math.imul(k, 0x9e3779b1) >>> this.shift;
    while ((ids[slot] as number) >= 0) slot = (slot + 1) & mask;
    keys[slot] = k;
    ids[slot] = id;
    this.count++;
  }
}

/**
 * The id tables a row writer keeps: addresses (by text, and IPv4 also by its 32 bits) and other
 * strings, each numbered in the order first seen.
 */
abstract class IdTables {
  /** Address texts by id. */
  protected readonly ips: string[] = [];
  /** Other strings by id. */
  protected readonly strings: string[] = [];
  private readonly ipIds = new Map<string, number>();
  private readonly stringIds = new Map<string, number>();
  private readonly v4 = new Ipv4Ids();

  /** Id of an address given as text (IPv6, or IPv4 already as text). */
  ipId(ip: string): number {
    let id = this.ipIds.get(ip);
    if (id === undefined) {
      id = this.ips.length;
      this.ipIds.set(ip, id);
      this.ips.push(ip);
    }
    return id;
  }

  /** Id of an IPv4 address given as its 32 bits, signed or not (the same id as its dotted text gets). */
  ipv4Id(v: number): number {
    let id = this.v4.get(v);
    if (id < 0) {
      id = this.ipId(ipv4Text(v >>> 0));
      this.v4.set(v, id);
    }
    return id;
  }

  /** Id of another string (node, connection state, server name). */
  stringId(value: string): number {
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.stringIds.set(value, id);
      this.strings.push(value);
    }
    return id;
  }
}

/**
 * What a reader writes rows into: {@link EventColumnsEncoder} (columns, to send to another
 * thread) or {@link EventBatchWriter} (reused event objects with pair hints, for a consumer on
 * the same thread). Addresses and strings are given as ids from the writer's own tables.
 */
export interface RowWriter<B> {
  /** Id of an address given as text. */
  ipId(ip: string): number;
  /** Id of an IPv4 address given as its 32 bits. */
  ipv4Id(v: number): number;
  /** Id of another string (node, connection state, server name). */
  stringId(value: string): number;
  /**
   * Appends one event field by field (see {@link EventColumnsEncoder.row}). The duration comes
   * as whole seconds and nanoseconds (`durSec` -1: none; the duration is `durSec + durNsec / 1e9`),
   * two small integers that pass without allocating where a fractional number would be boxed on
   * every call. `nameId`: the server name's string id, -1 (the default) for none.
   */
  row(tsSec: number, tsNsec: number, srcId: number, dstId: number, srcPort: number, dstPort: number, protocol: number, bytes: number, packets: number, durSec: number, durNsec: number, tcpFlags: number, bits: number, nodeId: number, nameId?: number): void;
  /** Appends one event object. */
  add(e: ConnectionEvent): void;
  /** The finished batches so far; with `final`, also the one being filled. */
  take(final?: boolean): B[];
}

/** Events per batch unless the encoder is told otherwise. */
const DEFAULT_BATCH = 16_384;

/**
 * Writes events into {@link EventColumns} batches. Keeps the address and string tables across
 * batches. Events go in as objects ({@link EventColumnsEncoder.add}, {@link EventColumnsEncoder.encode})
 * or, from a reader, field by field ({@link EventColumnsEncoder.row}) with IPv4 addresses as
 * their 32 bits, so no string is made for an address already in the table.
 */
export class EventColumnsEncoder extends IdTables implements RowWriter<EventColumns> {
  private readonly batch: number;
  private n = 0;
  private f64: Float64Array;
  private u32: Uint32Array;
  private strs: Uint32Array;
  /** Table entries already sent with a batch. */
  private sentIps = 0;
  private sentStrings = 0;
  private ready: EventColumns[] = [];

  constructor(batchSize: number = DEFAULT_BATCH) {
    super();
    this.batch = checkBatchSize(batchSize);
    this.f64 = new Float64Array(this.batch * F);
    this.u32 = new Uint32Array(this.batch * U);
    this.strs = new Uint32Array(this.batch * 3);
  }

  /**
   * Appends one event field by field: addresses and node as ids (from {@link EventColumnsEncoder.ipId},
   * {@link EventColumnsEncoder.ipv4Id}, {@link EventColumnsEncoder.stringId}), the duration as
   * `durSec + durNsec / 1e9` (`durSec` -1 when absent), `bits` packed as in {@link EventColumns.u32},
   * the server name as a string id (`nameId`, -1 for none). No connection state.
   */
  row(tsSec: number, tsNsec: number, srcId: number, dstId: number, srcPort: number, dstPort: number, protocol: number, bytes: number, packets: number, durSec: number, durNsec: number, tcpFlags: number, bits: number, nodeId: number, nameId = -1): void {
    const i = this.n;
    const f = i * F;
    const f64 = this.f64;
    f64[f] = tsSec;
    f64[f + 1] = tsNsec;
    f64[f + 2] = bytes;
    f64[f + 3] = packets;
    f64[f + 4] = durSec < 0 ? Number.NaN : durSec + durNsec / 1e9;
    const u = i * U;
    const u32 = this.u32;
    u32[u] = srcId;
    u32[u + 1] = dstId;
    u32[u + 2] = srcPort;
    u32[u + 3] = dstPort;
    u32[u + 4] = protocol;
    u32[u + 5] = tcpFlags;
    u32[u + 6] = bits;
    const s = i * 3;
    this.strs[s] = nodeId;
    this.strs[s + 1] = 0;
    this.strs[s + 2] = nameId + 1;
    if (++this.n === this.batch) this.seal();
  }

  /** Appends one event object. */
  add(e: ConnectionEvent): void {
    const i = this.n;
    // every id first: new table entries belong to the batch this event lands in
    const src = this.ipId(e.srcIp);
    const dst = this.ipId(e.dstIp);
    const node = this.stringId(e.node);
    const cs = e.connState === undefined ? 0 : this.stringId(e.connState) + 1;
    const sn = e.serverName === undefined ? 0 : this.stringId(e.serverName) + 1;
    const bits = eventBits(e.kind, e.direction, e.localOrig, e.localResp, e.failed);
    this.row(e.tsSec, e.tsNsec, src, dst, e.srcPort, e.dstPort, e.protocol, e.bytes, e.packets, e.durationSec === undefined || Number.isNaN(e.durationSec) ? -1 : e.durationSec, 0, e.tcpFlags, bits, node);
    // the row may have sealed the batch: it then sits last among the sealed ones
    const strs = this.n === 0 ? (this.ready[this.ready.length - 1] as EventColumns).strs : this.strs;
    strs[i * 3 + 1] = cs;
    strs[i * 3 + 2] = sn;
  }

  /** Events in the batch being filled. */
  get pending(): number {
    return this.n;
  }

  private seal(): void {
    const n = this.n;
    const whole = n === this.batch;
    this.ready.push({
      count: n,
      f64: whole ? this.f64 : this.f64.slice(0, n * F),
      u32: whole ? this.u32 : this.u32.slice(0, n * U),
      strs: whole ? this.strs : this.strs.slice(0, n * 3),
      newIps: this.ips.slice(this.sentIps),
      newStrings: this.strings.slice(this.sentStrings),
    });
    this.sentIps = this.ips.length;
    this.sentStrings = this.strings.length;
    this.n = 0;
    if (whole) {
      // the full arrays were handed out (and may be transferred): start new ones
      this.f64 = new Float64Array(this.batch * F);
      this.u32 = new Uint32Array(this.batch * U);
      this.strs = new Uint32Array(this.batch * 3);
    }
  }

  /**
   * The finished batches so far; with `final`, also the one being filled. New table entries
   * of a string that is asked for before a batch is taken go with that batch.
   */
  take(final = false): EventColumns[] {
    if (final && this.n > 0) this.seal();
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Encodes events as one batch of their own (whatever is pending is sealed first). */
  encode(events: readonly ConnectionEvent[]): EventColumns {
    if (this.n > 0) this.seal();
    const before = this.ready;
    this.ready = [];
    for (const e of events) this.add(e);
    const parts = this.take(true);
    this.ready = before;
    return parts.length === 1 ? (parts[0] as EventColumns) : concat(parts);
  }
}

function concat(parts: readonly EventColumns[]): EventColumns {
  let count = 0;
  for (const p of parts) count += p.count;
  const out: EventColumns = { count, f64: new Float64Array(count * F), u32: new Uint32Array(count * U), strs: new Uint32Array(count * 3), newIps: [], newStrings: [] };
  let at = 0;
  for (const p of parts) {
    out.f64.set(p.f64.subarray(0, p.count * F), at * F);
    out.u32.set(p.u32.subarray(0, p.count * U), at * U);
    out.strs.set(p.strs.subarray(0, p.count * 3), at * 3);
    out.newIps.push(...p.newIps);
    out.newStrings.push(...p.newStrings);
    at += p.count;
  }
  return out;
}

/** The buffers to transfer when posting a batch to another thread. */
export function eventColumnsTransferList(e: EventColumns): ArrayBuffer[] {
  return [e.f64.buffer as ArrayBuffer, e.u32.buffer as ArrayBuffer, e.strs.buffer as ArrayBuffer];
}

/**
 * Turns {@link EventColumns} back into event objects: one decoder per encoder (its tables
 * follow that encoder's batches in order). With `reuse`, the same event objects are overwritten
 * batch after batch, for a consumer that keeps none of them (the detector keeps none), which
 * spares the collector most of its work; every optional field is then present, unset ones as
 * undefined, and an absent `durationSec` is NaN (which the detector's trusted path reads as
 * absent). Without it every event is a new object with only the fields that are set.
 */
export class EventColumnsDecoder {
  private readonly ips: string[] = [];
  private readonly strings: string[] = [];
  private pool: ConnectionEvent[] = [];

  constructor(private readonly reuse: boolean) {}

  /** Takes in the tables of a batch: call once per batch, in the encoder's order. */
  absorb(m: EventColumns): void {
    for (const ip of m.newIps) this.ips.push(ip);
    for (const str of m.newStrings) this.strings.push(str);
  }

  private hintBuf = new Uint32Array(0);

  /**
   * Pair hints of events `from` to `to` of a batch, for `Detector.ingestBatch`'s `pairHints`:
   * a hash of each event's address ids, destination port and protocol (equal tuples, equal
   * hints). The array is reused by the next call.
   */
  pairHints(m: EventColumns, from = 0, to: number = m.count): Uint32Array {
    const n = to - from;
    if (this.hintBuf.length < n) this.hintBuf = new Uint32Array(Math.max(n, 4096));
    const out = this.hintBuf;
    const u32 = m.u32;
    for (let j = 0; j < n; j++) {
      const u = (from + j) * U;
      out[j] = pairHint(u32[u] as number, u32[u + 1] as number, u32[u + 3] as number, u32[u + 4] as number);
    }
    return n === out.length ? out : out.subarray(0, n);
  }

  /** Events `from` to `to` of an absorbed batch. */
  decode(m: EventColumns, from = 0, to: number = m.count): ConnectionEvent[] {
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
      // Reused objects keep a number here, NaN when absent (the detector's trusted path reads
      // NaN as absent): a field that only ever holds numbers stores one without allocating.
      if (d === d || this.reuse) e.durationSec = d;
      else delete e.durationSec;
      e.srcIp = ips[u32[u] as number] as string;
      e.dstIp = ips[u32[u + 1] as number] as string;
      e.srcPort = u32[u + 2] as number;
      e.dstPort = u32[u + 3] as number;
      e.protocol = u32[u + 4] as number;
      e.tcpFlags = u32[u + 5] as number;
      const kd = u32[u + 6] as number;
      if (this.reuse) unpackBits(e, kd);
      else {
        e.kind = KINDS[(kd >>> 2) & 3] as EventKind;
        e.direction = DIRECTIONS[kd & 3] as Direction;
        const lo = (kd >>> 4) & 3;
        const lr = (kd >>> 6) & 3;
        const fl = (kd >>> 8) & 3;
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

/** A 32-bit hash of a pair tuple given by address ids (see `IngestBatchOptions.pairHints` of `@beacon/detector`). */
function pairHint(srcId: number, dstId: number, dstPort: number, protocol: number): number {
  let h = Math.imul(srcId ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ dstId, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ ((dstPort << 8) | protocol), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

/** A batch of {@link EventBatchWriter}: reused event objects and their pair hints. */
export interface EventBatch {
  /** The events (objects owned by the writer: read them before {@link EventBatchWriter.recycle}). */
  events: ConnectionEvent[];
  /** Per event, a hint of its pair for `Detector.ingestBatch`'s `pairHints`. */
  pairHints: Uint32Array;
}

/**
 * Writes rows straight into event objects that are reused batch after batch, each with a pair
 * hint: for a consumer on the same thread that keeps no event (a detector), this is the
 * cheapest way from a reader to it (no object per row, no columns in between). Every optional
 * field of the objects is present (unset ones undefined, no duration NaN), so they all have
 * one shape. Hand a batch back with {@link EventBatchWriter.recycle} once it is consumed; a
 * batch not handed back is simply not reused.
 */
export class EventBatchWriter extends IdTables implements RowWriter<EventBatch> {
  private readonly batch: number;
  private current: EventBatch;
  private n = 0;
  private ready: EventBatch[] = [];
  private spare: EventBatch[] = [];

  constructor(batchSize: number = 4096) {
    super();
    this.batch = checkBatchSize(batchSize);
    this.current = this.fresh();
  }

  private fresh(): EventBatch {
    const events: ConnectionEvent[] = [];
    for (let i = 0; i < this.batch; i++) events.push(pooled());
    return { events, pairHints: new Uint32Array(this.batch) };
  }

  row(tsSec: number, tsNsec: number, srcId: number, dstId: number, srcPort: number, dstPort: number, protocol: number, bytes: number, packets: number, durSec: number, durNsec: number, tcpFlags: number, bits: number, nodeId: number, nameId = -1): void {
    const i = this.n;
    const b = this.current;
    const e = b.events[i] as ConnectionEvent;
    e.tsSec = tsSec;
    e.tsNsec = tsNsec;
    e.srcIp = this.ips[srcId] as string;
    e.dstIp = this.ips[dstId] as string;
    e.srcPort = srcPort;
    e.dstPort = dstPort;
    e.protocol = protocol;
    e.bytes = bytes;
    e.packets = packets;
    e.durationSec = durSec < 0 ? Number.NaN : durSec + durNsec / 1e9;
    e.tcpFlags = tcpFlags;
    unpackBits(e, bits);
    e.node = this.strings[nodeId] as string;
    e.connState = undefined;
    e.serverName = nameId < 0 ? undefined : this.strings[nameId];
    b.pairHints[i] = pairHint(srcId, dstId, dstPort, protocol);
    if (++this.n === this.batch) this.seal();
  }

  add(e: ConnectionEvent): void {
    const i = this.n;
    const b = this.current;
    const src = this.ipId(e.srcIp);
    const dst = this.ipId(e.dstIp);
    const bits = eventBits(e.kind, e.direction, e.localOrig, e.localResp, e.failed);
    this.row(e.tsSec, e.tsNsec, src, dst, e.srcPort, e.dstPort, e.protocol, e.bytes, e.packets, e.durationSec === undefined || Number.isNaN(e.durationSec) ? -1 : e.durationSec, 0, e.tcpFlags, bits, this.stringId(e.node));
    const o = b.events[i] as ConnectionEvent;
    o.connState = e.connState;
    o.serverName = e.serverName;
  }

  private seal(): void {
    const b = this.current;
    const n = this.n;
    this.ready.push(n === this.batch ? b : { events: b.events.slice(0, n), pairHints: b.pairHints.subarray(0, n) });
    // a partial batch shares its objects with `b`: b goes on being filled only after a recycle
    this.current = n === this.batch ? (this.spare.pop() ?? this.fresh()) : this.fresh();
    this.n = 0;
  }

  take(final = false): EventBatch[] {
    if (final && this.n > 0) this.seal();
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Hands a consumed batch back, so its objects are filled again. */
  recycle(batch: EventBatch): void {
    if (batch.events.length === this.batch && this.spare.length < 4) this.spare.push(batch);
  }
}

/** An optional boolean as 0 (absent), 1 (false) or 2 (true). */
export function tri(b: boolean | undefined): number {
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
    durationSec: 0.5,
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
    connState: undefined,
    serverName: undefined,
    localOrig: undefined,
    localResp: undefined,
    failed: undefined,
  } as unknown as ConnectionEvent;
}
