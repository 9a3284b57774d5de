/**
 * Per-pair state. Scalars live on this object; the event history lives in a shared slab
 * (see historySlab.ts): `ts`/`sz` point at the slab chunk, `off` is this pair's slot offset.
 * Timestamps are stored as unsigned milliseconds relative to `baseMs` (4 bytes, not 8).
 */
export class PairState {
  /** Ring start index (oldest entry) and number of entries; entries are sorted by time. */
  head = 0;
  len = 0;
  /** Absolute epoch milliseconds of relative time 0. */
  baseMs = 0;
  /** Event-time bounds (epoch seconds) and lifetime counts. */
  firstSeen: number = Infinity;
  lastSeen: number = -Infinity;
  count = 0;
  /** Scored since its last event? */
  dirty = false;
  /** Last estimated period in seconds (0 when unknown): stretches expiry for slow beacons. */
  period = 0;
  /** Long-connection tracking: open flows, longest closed flow, closed flows >= minDuration. */
  openFlows = 0;
  /**
   * Open flows evicted by the open-flow cap whose ends have not come yet: an end the table does
   * not know is taken as one of these before it is counted as a connection of its own (its
   * start was counted already).
   */
  forgotten = 0;
  maxFlowSec = 0;
  longFlows = 0;
  /** Last-touched stamp (a detector-wide counter): the least recently seen pairs are evicted first. */
  stamp = 0;
  /** Changed since the last state delta (see `exportDelta`). */
  persist = true;
  /** Row of the held beacon record in the beacon slab, or -1 when the pair is not a known beacon. */
  beaconRow = -1;
  /** The beacon record or cooldown changed since the last state delta. */
  beaconDirty = false;
  cooldownDirty = false;
  /** Alert cooldown: when the last alert was raised, its score and severity rank (-1: no cooldown). */
  cdAt = 0;
  cdScore = 0;
  cdRank = -1;
  /** Direction code (see `DIRECTIONS` in direction.ts), -1 until first worked out. */
  direction = -1;
  /** What the first event said about the sides: bit 1 source is local, bit 2 destination is local. */
  hint = 0;
  /** Failed connection attempts seen (see `isFailedAttempt`), against `count`. */
  failed = 0;
  /**
   * Server name: for a name-keyed pair (`named`), the name it is keyed by (also its `dstIp`);
   * for an address pair, the last name seen on it (its findings point to that name's pair).
   */
  serverName: string | undefined = undefined;
  /** Keyed by (src, server name, dst port, protocol) rather than by address. */
  named = false;
  /** A name-keyed pair's destination addresses, oldest first (at most MAX_NAME_ADDRESSES). */
  dstIps: string[] | undefined = undefined;
  /** For an address pair: the name-keyed pair of its last name (may have been removed since). */
  namePair: PairState | undefined = undefined;
  /**
   * For an address pair: its name has been seen from its source on this address only, so no
   * name-keyed pair exists yet (it would repeat this pair's events). Set by the detector core.
   */
  nameSolo = false;
  /** Next pair in its index chain (same source; same destination too once the source is wide). */
  sib: PairState | undefined = undefined;

  constructor(
    readonly key: string,
    readonly srcIp: string,
    readonly dstIp: string,
    readonly dstPort: number,
    readonly protocol: number,
    public benign: string | null,
    public ts: Uint32Array,
    public sz: Uint32Array,
    public off: number,
    public slot: number,
  ) {
    // V8 stores a field that has held only small integers as one; the first fractional value
    // then changes the layout of every live pair, each migrated on its next access. For these
    // fields that first happens in the first analysis, when a hunt holds tens of thousands of
    // pairs (~4 us each: 170 ms of a 1.8 s hunt of 700,000 rows). A fractional value stored
    // first makes them fractional-number fields from the first pair on.
    // (`maxFlowSec` takes its first fraction with the first flow duration, which may come late.)
    this.period = 0.5;
    this.cdAt = 0.5;
    this.cdScore = 0.5;
    this.maxFlowSec = 0.5;
    this.period = 0;
    this.cdAt = 0;
    this.cdScore = 0;
    this.maxFlowSec = 0;
  }
}

/** Outcome of placing one timestamp in a pair's ring. */
export const Place = {
  Appended: 0,
  Inserted: 1,
  /** Beyond the out-of-order tolerance: rejected. */
  TooLate: 2,
  /** Older than everything in a full ring: dropped and counted as a history eviction. */
  Dropped: 3,
} as const;
/** One of the {@link Place} outcomes. */
export type Place = (typeof Place)[keyof typeof Place];

const U32_MAX = 0xffffffff;

/**
 * Places an event (at `sec * 1000 + ms` epoch milliseconds, size) in the pair's sorted ring of
 * capacity `cap`. Returns the outcome and bumps `evicted[0]` for every entry the ring had to
 * give up. The time comes in two parts because each part is a small integer, passed without
 * allocating, where epoch milliseconds would be boxed as a heap number on every call.
 */
export function place(p: PairState, sec: number, ms: number, size: number, cap: number, tolMs: number, evicted: Float64Array): Place {
  const tMs = sec * 1000 + ms;
  const ts = p.ts;
  const off = p.off;
  const s = size > U32_MAX ? U32_MAX : size;
  if (p.len === 0) {
    p.baseMs = tMs > tolMs ? tMs - tolMs : 0;
    ts[off + p.head] = tMs - p.baseMs;
    p.sz[off + p.head] = s;
    p.len = 1;
    return Place.Appended;
  }
  let rel = tMs - p.baseMs;
  if (rel > U32_MAX) {
    rebase(p, tMs - tolMs - (U32_MAX >>> 1), cap, evicted);
    rel = tMs - p.baseMs;
  }
  let last = p.head + p.len - 1;
  if (last >= cap) last -= cap;
  const newest = ts[off + last] as number;
  if (rel >= newest) {
    let idx = p.head + p.len;
    if (idx >= cap) idx -= cap;
    ts[off + idx] = rel;
    p.sz[off + idx] = s;
    if (p.len === cap) {
      p.head = p.head + 1 === cap ? 0 : p.head + 1;
      evicted[0] = (evicted[0] as number) + 1;
    } else p.len++;
    return Place.Appended;
  }
  if (newest - rel > tolMs || rel < 0) return Place.TooLate;
  if (p.len === cap) {
    if (rel < (ts[off + p.head] as number)) {
      evicted[0] = (evicted[0] as number) + 1;
      return Place.Dropped;
    }
    p.head = p.head + 1 === cap ? 0 : p.head + 1;
    p.len--;
    evicted[0] = (evicted[0] as number) + 1;
  }
  // Shift newer entries one slot forward, then drop the event into the gap.
  let i = p.len - 1;
  for (; i >= 0; i--) {
    const from = (p.head + i) % cap;
    const v = ts[off + from] as number;
    if (v <= rel) break;
    const to = from + 1 === cap ? 0 : from + 1;
    ts[off + to] = v;
    p.sz[off + to] = p.sz[off + from] as number;
  }
  const at = (p.head + i + 1) % cap;
  ts[off + at] = rel;
  p.sz[off + at] = s;
  p.len++;
  return Place.Inserted;
}

/** Moves the base forward to `newBaseMs`, dropping entries older than it (counted). Rare: ~49-day spans. */
function rebase(p: PairState, newBaseMs: number, cap: number, evicted: Float64Array): void {
  const shift = newBaseMs - p.baseMs;
  if (shift <= 0) return;
  while (p.len > 0 && (p.ts[p.off + p.head] as number) < shift) {
    p.head = p.head + 1 === cap ? 0 : p.head + 1;
    p.len--;
    evicted[0] = (evicted[0] as number) + 1;
  }
  for (let i = 0; i < p.len; i++) {
    const idx = p.off + ((p.head + i) % cap);
    p.ts[idx] = (p.ts[idx] as number) - shift;
  }
  p.baseMs = newBaseMs;
}

/** The pair's timestamps as epoch seconds, oldest first (for export and tests). */
export function timesOf(p: PairState, cap: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.len; i++) out.push((p.baseMs + (p.ts[p.off + ((p.head + i) % cap)] as number)) / 1000);
  return out;
}

/** The pair's sizes, oldest first. */
export function sizesOf(p: PairState, cap: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.len; i++) out.push(p.sz[p.off + ((p.head + i) % cap)] as number);
  return out;
}
