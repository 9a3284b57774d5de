import type { SourceStats } from '../types.js';
import { DnsNameTable } from '../names/dnsNameTable.js';
import { NameParse, type NameParseResult } from '../names/nameParse.js';
import { parseClientHelloSni, TLS_HANDSHAKE } from '../names/parseClientHelloSni.js';
import { parseHttpHost } from '../names/parseHttpHost.js';
import { DnsParse, parseDnsResponse } from '../names/parseDnsResponse.js';

/** Packets of a new TCP flow without client payload looked at before giving up on a name. */
export const PENDING_MAX_PACKETS = 8;
/** The DNS server port whose UDP payloads are read as responses. */
export const DNS_PORT = 53;

/** What the flow table learned from a client payload. */
export const FirstPayload = {
  /** Keep waiting: the name may be in the next segment. */
  More: 0,
  /** Done (named or not). */
  Done: 1,
} as const;
/** One of the {@link FirstPayload} values. */
export type FirstPayload = (typeof FirstPayload)[keyof typeof FirstPayload];

/**
 * The naming side of the flow logic: parses a TCP flow's first client payload (TLS ClientHello
 * SNI, possibly over two segments, or an HTTP/1.x Host), reads DNS responses into a bounded
 * {@link DnsNameTable}, and counts what it learned and what was malformed in `stats.names`.
 */
export class FlowNames {
  readonly dns: DnsNameTable;
  private readonly stats: SourceStats;

  constructor(stats: SourceStats, maxDnsNames: number) {
    this.stats = stats;
    this.dns = new DnsNameTable({ maxEntries: maxDnsNames });
  }

  /** Reads a UDP payload from port 53 as a DNS response and learns its answers. */
  dnsPayload(buf: Uint8Array, at: number, end: number, timeSec: number): void {
    const r = parseDnsResponse(buf, at, end);
    if (r.status === DnsParse.Malformed) {
      this.stats.names.malformed++;
      return;
    }
    const before = this.dns.evicted;
    for (const a of r.answers) this.dns.learn(a.address, a.name, a.ttlSec, timeSec);
    this.stats.names.dnsAnswers += r.answers.length;
    this.stats.names.evicted += this.dns.evicted - before;
  }

  /**
   * Parses a flow's first client payload bytes `buf[at, end)` (one segment, or what arrived in
   * order so far); `NeedMore` means wait for more when the bounds allow.
   */
  firstPayload(buf: Uint8Array, at: number, end: number): NameParseResult {
    return buf[at] === TLS_HANDSHAKE ? parseClientHelloSni(buf, at, end) : parseHttpHost(buf, at, end);
  }

  /** Counts a finished first-payload parse (`segments`: client segments it took); returns the name, if any. */
  settle(result: NameParseResult, tls: boolean, segments = 1): string | undefined {
    if (result.status === NameParse.NeedMore && segments > 1) this.stats.names.unfinished++;
    if (result.status === NameParse.Found) {
      if (segments > 1) this.stats.names.reassembled++;
      if (tls) this.stats.names.tlsServerNames++;
      else this.stats.names.httpHosts++;
      return result.name;
    }
    if (result.status === NameParse.Malformed) this.stats.names.malformed++;
    return undefined;
  }

  /** The DNS name of `address` at `timeSec`, counted when found. */
  dnsName(address: string, timeSec: number): string | undefined {
    const name = this.dns.lookup(address, timeSec);
    if (name !== undefined) this.stats.names.dnsNamed++;
    return name;
  }

}
