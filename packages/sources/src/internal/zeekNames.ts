import type { ConnectionEvent } from '@beacon/detector';
import { DnsNameTable } from '../names/dnsNameTable.js';
import { normalizeHostName } from '../names/hostName.js';
import type { SourceStats } from '../types.js';
import { openInput } from './input.js';
import { MAX_LINE } from './lines.js';

const EMPTY = Buffer.alloc(0);

/** The Zeek logs the name join reads. */
export type ZeekLogKind = 'conn' | 'ssl' | 'http' | 'dns';

/** Bounds of {@link ZeekNameJoin}. */
export interface ZeekJoinBounds {
  /** Most ssl/http names held waiting for their conn.log row. */
  maxNames: number;
  /** Most addresses named from dns.log answers. */
  maxDnsNames: number;
  /** Log seconds an ssl/http name waits behind the newest conn.log row before it is given up. */
  windowSec: number;
  /** Log seconds the ssl/http/dns logs are read ahead of the newest conn.log row. */
  skewSec: number;
  /** Read-stream chunk size of the name logs. */
  chunkSize: number;
}

/**
 * Joins conn.log rows with the ssl.log (`server_name`), http.log (`host`) and dns.log (`query`,
 * `answers`, `TTLs`) of the same directory as a stream. Zeek writes each log roughly in time
 * order, and a connection's ssl/http rows carry a `ts` at or just after its conn.log `ts` (its
 * start; the conn row itself is written when the connection ends, so it comes later in its
 * file). So the name logs are read alongside conn.log, never more than `skewSec` (plus one
 * chunk) ahead of the newest conn row's `ts`, and a name waits for its conn row until that
 * `ts` has moved `windowSec` past the name's own `ts`. A name whose conn row does not come in
 * that window (a connection longer than the window, a conn.log that was not given) is counted
 * in `stats.names.unjoined`; past `maxNames` names waiting at once, the oldest are dropped and
 * counted in `stats.names.evicted`. Memory is bounded by the names of the connections open at
 * once (and the window), not by the directory's size.
 *
 * Conn rows are {@link note}d while a chunk of conn.log is parsed and named in {@link resolve},
 * after the name logs have been read far enough: before the chunk's events are handed on.
 */
export class ZeekNameJoin {
  /** uid -> sequence number of its entry in the queue. */
  private readonly byUid = new Map<string, number>();
  /** Waiting names in arrival order (a FIFO with a moving head), for expiry and the bound. */
  private qUid: string[] = [];
  private qName: string[] = [];
  private qTs: number[] = [];
  private head = 0;
  /** Sequence number of `qUid[0]`. */
  private base = 0;
  readonly dns: DnsNameTable;
  private readonly bounds: ZeekJoinBounds;
  readonly stats: SourceStats;
  private readonly streams: NameLogStream[] = [];
  /** Newest conn.log `ts` noted. */
  private newest = -Infinity;
  private waiting: ConnectionEvent[] = [];
  private waitingUid: Array<string | undefined> = [];

  constructor(stats: SourceStats, files: ReadonlyArray<{ path: string; kind: ZeekLogKind }>, bounds: ZeekJoinBounds) {
    this.stats = stats;
    this.bounds = { ...bounds, maxNames: Math.max(1, Math.floor(bounds.maxNames)), windowSec: Math.max(0, bounds.windowSec), skewSec: Math.max(0, bounds.skewSec) };
    this.dns = new DnsNameTable({ maxEntries: bounds.maxDnsNames });
    for (const kind of ['ssl', 'http', 'dns'] as const) {
      const paths = files.filter((f) => f.kind === kind).map((f) => f.path);
      if (paths.length > 0) this.streams.push(new NameLogStream(kind, paths, bounds.chunkSize, this));
    }
  }

  /** Names waiting for their conn row now. */
  get held(): number {
    return this.byUid.size;
  }

  /** A conn.log row's event, to be named by {@link resolve}. */
  note(event: ConnectionEvent, uid: string | undefined): void {
    this.waiting.push(event);
    this.waitingUid.push(uid);
  }

  /**
   * Names the noted events in order: for each, the name logs are read up to `skewSec` past the
   * newest conn row so far, the event takes its uid's SNI/Host (else the DNS name of its
   * responder at its time), and the names that waited longer than the window are given up.
   */
  async resolve(): Promise<void> {
    if (this.waiting.length === 0) return;
    const events = this.waiting;
    const uids = this.waitingUid;
    this.waiting = [];
    this.waitingUid = [];
    const names = this.stats.names;
    const streams = this.streams;
    const { skewSec, windowSec } = this.bounds;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as ConnectionEvent;
      const ts = event.tsSec + event.tsNsec / 1e9;
      if (ts > this.newest) this.newest = ts;
      // the name logs up to skewSec past the newest conn row, a row at a time
      const target = this.newest + skewSec;
      for (let k = 0; k < streams.length; k++) {
        const s = streams[k] as NameLogStream;
        if (s.behind(target) && !s.advanceSync(target)) await s.advance(target);
      }
      const uid = uids[i];
      let named = false;
      if (uid !== undefined && this.byUid.size > 0) {
        const seq = this.byUid.get(uid);
        if (seq !== undefined) {
          event.serverName = this.qName[seq - this.base] as string;
          this.byUid.delete(uid);
          names.joined++;
          named = true;
        }
      }
      if (!named) {
        const d = this.dns.lookup(event.dstIp, ts);
        if (d !== undefined) {
          event.serverName = d;
          names.dnsNamed++;
        }
      }
      // names that waited longer than the window are given up
      const cutoff = this.newest - windowSec;
      while (this.head < this.qUid.length && (this.qTs[this.head] as number) < cutoff) this.dropFirst(false);
    }
    this.compact();
  }

  /** Ends the join: names still waiting never met their conn row (counted); files are closed. */
  async finish(): Promise<void> {
    await this.resolve();
    this.stats.names.unjoined += this.byUid.size;
    this.byUid.clear();
    this.qUid = [];
    this.qName = [];
    this.qTs = [];
    this.head = 0;
    await this.close();
  }

  /** Closes the name logs still open (also when the reader stops early). */
  async close(): Promise<void> {
    for (const s of this.streams) await s.close();
    this.stats.names.evicted += this.dns.evicted;
    this.dns.evicted = 0;
  }

  /** An ssl/http name for `uid` (the first one a uid gets is kept). */
  addName(uid: string, name: string, ts: number): void {
    if (this.byUid.has(uid)) return;
    this.byUid.set(uid, this.base + this.qUid.length);
    this.qUid.push(uid);
    this.qName.push(this.intern(name));
    this.qTs.push(ts);
    const max = this.bounds.maxNames;
    while (this.byUid.size > max) this.dropFirst(true);
    // The queue also holds joined entries until they reach its head (behind a long connection's
    // name they may not for a while): past twice the bound, only the waiting ones are kept.
    if (this.qUid.length - this.head > 2 * max) this.keepWaiting();
  }

  /** Rebuilds the queue from the names still waiting (amortised O(1) per name added). */
  private keepWaiting(): void {
    const uids: string[] = [];
    const names: string[] = [];
    const times: number[] = [];
    for (let i = this.head; i < this.qUid.length; i++) {
      const uid = this.qUid[i] as string;
      if (this.byUid.get(uid) !== this.base + i) continue;
      this.byUid.set(uid, uids.length);
      uids.push(uid);
      names.push(this.qName[i] as string);
      times.push(this.qTs[i] as number);
    }
    this.qUid = uids;
    this.qName = names;
    this.qTs = times;
    this.head = 0;
    this.base = 0;
  }

  private dropFirst(evicted: boolean): void {
    const seq = this.base + this.head;
    const uid = this.qUid[this.head] as string;
    if (this.byUid.get(uid) === seq) {
      this.byUid.delete(uid);
      if (evicted) this.stats.names.evicted++;
      else this.stats.names.unjoined++;
    }
    this.head++;
  }

  private compact(): void {
    if (this.head < 4096 || this.head * 2 < this.qUid.length) return;
    this.qUid = this.qUid.slice(this.head);
    this.qName = this.qName.slice(this.head);
    this.qTs = this.qTs.slice(this.head);
    this.base += this.head;
    this.head = 0;
  }

  /** One string per distinct name (bounded): rows share it, and the detector compares it by reference. */
  private readonly names = new Map<string, string>();
  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    if (this.names.size >= 65_536) this.names.clear();
    this.names.set(name, name);
    return name;
  }
}

/** Column roles in an ssl/http/dns row. */
const Col = { None: 0, Ts: 1, Uid: 2, Name: 3, Query: 4, Answers: 5, Ttls: 6 } as const;
type Col = (typeof Col)[keyof typeof Col];

const ROLE: Readonly<Record<string, Col>> = { ts: Col.Ts, uid: Col.Uid, query: Col.Query, answers: Col.Answers, TTLs: Col.Ttls };

/**
 * The ssl.log, http.log or dns.log files of one kind, read in order as one stream of rows, a
 * chunk at a time, as far as the join asks. TSV (only the joined columns decoded) or JSON lines,
 * gzip ok.
 */
class NameLogStream {
  private readonly kind: 'ssl' | 'http' | 'dns';
  private readonly paths: readonly string[];
  private readonly chunkSize: number;
  private readonly join: ZeekNameJoin;
  private next = 0;
  private it: AsyncIterator<Buffer> | undefined;
  /** The current chunk and the start of its next line. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  private done = false;
  /** `ts` of the last row read (the stream's position in log time). */
  private lastTs = -Infinity;
  // TSV layout of the current file
  private sep = 9;
  private setSep = ',';
  private roles: Col[] = [];
  private readonly values: Array<string | undefined> = new Array<string | undefined>(7);

  constructor(kind: 'ssl' | 'http' | 'dns', paths: readonly string[], chunkSize: number, join: ZeekNameJoin) {
    this.kind = kind;
    this.paths = paths;
    this.chunkSize = chunkSize;
    this.join = join;
  }

  /** Whether rows up to `target` may still be unread. */
  behind(target: number): boolean {
    return !this.done && !(this.lastTs > target);
  }

  /**
   * Reads rows of the chunk in hand until one past `target` has been read. False when the chunk
   * ran out first ({@link advance} reads on).
   */
  advanceSync(target: number): boolean {
    while (this.behind(target)) {
      const buf = this.buf;
      const nl = buf.indexOf(10, this.pos);
      if (nl < 0) return false;
      const start = this.pos;
      this.pos = nl + 1;
      if (nl - start <= MAX_LINE) this.line(buf, start, nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl);
      else this.join.stats.names.malformed++;
    }
    return true;
  }

  /**
   * Reads rows until one past `target` has been read, or the logs end. Rows are taken one at a
   * time, so what is read ahead is one row, not one chunk.
   */
  async advance(target: number): Promise<void> {
    while (!this.advanceSync(target)) {
      const buf = this.buf;
      if (this.it === undefined) {
        // the last line of a file may lack its newline
        if (this.pos < buf.length) this.line(buf, this.pos, buf.length);
        this.buf = EMPTY;
        this.pos = 0;
        const path = this.paths[this.next++];
        if (path === undefined) {
          this.done = true;
          return;
        }
        const opened = await openInput(path, this.chunkSize);
        this.it = opened.chunks[Symbol.asyncIterator]();
        this.sep = 9;
        this.setSep = ',';
        this.roles = [];
        continue;
      }
      const r = await this.it.next();
      if (r.done === true) {
        this.it = undefined;
        continue;
      }
      // the rest of the chunk in hand (a line cut by its end) goes before the next one
      this.buf = this.pos < buf.length ? Buffer.concat([buf.subarray(this.pos), r.value]) : r.value;
      this.pos = 0;
    }
  }

  async close(): Promise<void> {
    const it = this.it;
    this.it = undefined;
    this.buf = EMPTY;
    this.done = true;
    await it?.return?.();
  }

  private line(buf: Buffer, s: number, e: number): void {
    if (e === s) return;
    const c0 = buf[s];
    if (c0 === 0x23) return this.header(buf.toString('latin1', s, e));
    const names = this.join.stats.names;
    const v = this.values;
    v.fill(undefined);
    if (c0 === 0x7b) {
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(buf.toString('utf8', s, e)) as Record<string, unknown>;
      } catch {
        names.malformed++;
        return;
      }
      this.row(tsOf(row.ts), str(row.uid), str(row[this.kind === 'ssl' ? 'server_name' : this.kind === 'http' ? 'host' : 'query']), row.answers, row.TTLs);
      return;
    }
    // TSV: only the joined columns are decoded.
    const roles = this.roles;
    const sep = this.sep;
    let col = 0;
    let from = s;
    for (let i = s; i <= e; i++) {
      if (i < e && buf[i] !== sep) continue;
      const role = roles[col] ?? Col.None;
      if (role !== Col.None) v[role] = buf.toString(role === Col.Name || role === Col.Query ? 'utf8' : 'latin1', from, i);
      col++;
      from = i + 1;
    }
    if (col !== roles.length) {
      names.malformed++;
      return;
    }
    const ts = v[Col.Ts];
    this.row(ts === undefined ? NaN : Number(ts), v[Col.Uid], v[this.kind === 'dns' ? Col.Query : Col.Name], v[Col.Answers], v[Col.Ttls]);
  }

  private header(line: string): void {
    if (line.startsWith('#separator')) {
      const value = line.slice(11).trim().replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      this.sep = value.charCodeAt(0);
      return;
    }
    const parts = line.split(String.fromCharCode(this.sep));
    if (parts[0] === '#set_separator') this.setSep = parts[1] ?? ',';
    else if (parts[0] === '#fields') {
      const nameField = this.kind === 'ssl' ? 'server_name' : this.kind === 'http' ? 'host' : '';
      this.roles = parts.slice(1).map((f) => (f === nameField ? Col.Name : (ROLE[f] ?? Col.None)));
    }
  }

  private row(ts: number, uid: string | undefined, raw: string | undefined, answersRaw: unknown, ttlsRaw: unknown): void {
    if (Number.isFinite(ts)) this.lastTs = ts;
    const join = this.join;
    const names = join.stats.names;
    if (this.kind !== 'dns') {
      if (uid === undefined || raw === undefined || raw === '-' || raw === '' || uid === '-') return;
      const name = normalizeHostName(this.kind === 'http' ? stripPort(raw) : raw);
      if (name === undefined) {
        names.malformed++;
        return;
      }
      join.addName(uid, name, ts);
      if (this.kind === 'ssl') names.tlsServerNames++;
      else names.httpHosts++;
      return;
    }
    if (raw === undefined || !Number.isFinite(ts)) return;
    const name = normalizeHostName(raw);
    if (name === undefined) return;
    const answers = list(answersRaw, this.setSep);
    if (answers.length === 0) return;
    const ttls = list(ttlsRaw, this.setSep);
    answers.forEach((a, i) => {
      if (!/^[0-9.]+$/.test(a) && !a.includes(':')) return; // CNAME targets and other data
      const ttl = Number(ttls[i]);
      join.dns.learn(a, name, Number.isFinite(ttl) ? ttl : 0, ts);
      names.dnsAnswers++;
    });
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A JSON row's `ts`: epoch seconds (number or text) or ISO 8601 text; NaN when neither. */
function tsOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? NaN : ms / 1000;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, Math.max(1, host.indexOf(']')));
  const c = host.indexOf(':');
  return c >= 0 && host.indexOf(':', c + 1) < 0 ? host.slice(0, c) : host;
}

function list(v: unknown, setSep: string): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || v === '-' || v === '(empty)' || v === '') return [];
  return v.split(setSep);
}
