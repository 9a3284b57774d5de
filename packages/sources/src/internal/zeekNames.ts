import { DnsNameTable } from '../names/dnsNameTable.js';
import { normalizeHostName } from '../names/hostName.js';
import type { SourceStats } from '../types.js';
import { openInput } from './input.js';
import { LineSplitter } from './lines.js';

/** The Zeek logs the name join reads. */
export type ZeekLogKind = 'conn' | 'ssl' | 'http' | 'dns';

/**
 * Connection uid -> server name from Zeek's ssl.log (`server_name`) and http.log (`host`), and
 * address -> name from dns.log (`query`, `answers`, `TTLs`), read before conn.log so rows of one
 * uid may sit in any file in any order. Bounded: at most `maxNames` uids (the oldest forgotten
 * first, counted in `stats.names.evicted`) and a bounded {@link DnsNameTable}.
 */
export class ZeekNameIndex {
  /**
   * uid -> name in two generations: new uids go to `byUid`; when it holds half the bound it
   * becomes `older` and the previous `older` is dropped (counted). O(1) per row, where deleting
   * a Map's oldest key one at a time got slower with every deletion.
   */
  private byUid = new Map<string, string>();
  private older = new Map<string, string>();
  readonly dns: DnsNameTable;
  private readonly maxNames: number;
  private readonly stats: SourceStats;

  constructor(stats: SourceStats, maxNames: number, maxDnsNames: number) {
    this.stats = stats;
    this.maxNames = Math.max(1, maxNames);
    this.dns = new DnsNameTable({ maxEntries: maxDnsNames });
  }

  /** The name of a conn.log row: its uid's SNI/Host, else the DNS name of its responder. */
  nameOf(uid: string | undefined, dstIp: string, timeSec: number): string | undefined {
    if (uid !== undefined && this.byUid.size > 0) {
      const n = this.byUid.get(uid) ?? (this.older.size > 0 ? this.older.get(uid) : undefined);
      if (n !== undefined) return n;
    }
    const d = this.dns.lookup(dstIp, timeSec);
    if (d !== undefined) this.stats.names.dnsNamed++;
    return d;
  }

  private setUid(uid: string, name: string): void {
    if (this.byUid.has(uid) || this.older.has(uid)) return;
    if (this.byUid.size >= Math.max(1, this.maxNames >> 1)) {
      this.stats.names.evicted += this.older.size;
      this.older = this.byUid;
      this.byUid = new Map();
    }
    this.byUid.set(uid, this.intern(name));
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

  /** Reads one ssl.log, http.log or dns.log (TSV or JSON lines, gzip ok). */
  async load(path: string, kind: Exclude<ZeekLogKind, 'conn'>): Promise<void> {
    const opened = await openInput(path);
    let fields: string[] = [];
    let sep = '\t';
    let setSep = ',';
    const get = (row: Record<string, unknown>, key: string): unknown => row[key];
    const onRow = (row: Record<string, unknown>): void => {
      if (kind === 'ssl' || kind === 'http') {
        const uid = get(row, 'uid');
        const raw = get(row, kind === 'ssl' ? 'server_name' : 'host');
        if (typeof uid !== 'string' || typeof raw !== 'string' || raw === '-' || raw === '') return;
        const name = normalizeHostName(kind === 'http' ? stripPort(raw) : raw);
        if (name === undefined) {
          this.stats.names.malformed++;
          return;
        }
        this.setUid(uid, name);
        if (kind === 'ssl') this.stats.names.tlsServerNames++;
        else this.stats.names.httpHosts++;
        return;
      }
      const query = get(row, 'query');
      const ts = Number(get(row, 'ts'));
      const answers = list(get(row, 'answers'), setSep);
      const ttls = list(get(row, 'TTLs'), setSep).map(Number);
      if (typeof query !== 'string' || !Number.isFinite(ts)) return;
      const name = normalizeHostName(query);
      if (name === undefined) return;
      answers.forEach((a, i) => {
        if (!/^[0-9.]+$/.test(a) && !a.includes(':')) return; // CNAME targets and other data
        const ttl = ttls[i];
        this.dns.learn(a, name, ttl !== undefined && Number.isFinite(ttl) ? ttl : 0, ts);
        this.stats.names.dnsAnswers++;
      });
    };
    const splitter = new LineSplitter((buf, s, e) => {
      if (e === s) return;
      if (buf[s] === 0x23) {
        const line = buf.toString('latin1', s, e);
        if (line.startsWith('#separator')) sep = line.slice(11).trim().replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
        else if (line.startsWith('#set_separator')) setSep = line.split(sep)[1] ?? ',';
        else if (line.startsWith('#fields')) fields = line.split(sep).slice(1);
        return;
      }
      if (buf[s] === 0x7b) {
        try {
          onRow(JSON.parse(buf.toString('utf8', s, e)) as Record<string, unknown>);
        } catch {
          this.stats.names.malformed++;
        }
        return;
      }
      const parts = buf.toString('utf8', s, e).split(sep);
      if (parts.length !== fields.length) {
        this.stats.names.malformed++;
        return;
      }
      // only the fields the join reads
      const row: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i] as string;
        if (WANTED.has(f)) row[f] = parts[i];
      }
      onRow(row);
    });
    for await (const chunk of opened.chunks) splitter.push(chunk);
    splitter.end();
  }
}

/** The app-layer fields the join reads. */
const WANTED: ReadonlySet<string> = new Set(['ts', 'uid', 'server_name', 'host', 'query', 'answers', 'TTLs']);

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
