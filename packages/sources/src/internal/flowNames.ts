import type { SourceStats } from '../types.js';
import { DnsNameTable } from '../names/dnsNameTable.js';
import { NameParse, type NameParseResult } from '../names/nameParse.js';
import { CLIENT_HELLO_MAX_BYTES, parseClientHelloSni, TLS_HANDSHAKE } from '../names/parseClientHelloSni.js';
import { parseHttpHost } from '../names/parseHttpHost.js';
import { DnsParse, parseDnsResponse } from '../names/parseDnsResponse.js';

/** Packets of a new TCP flow looked at for its first client payload before giving up on a name. */
export const PENDING_MAX_PACKETS = 8;
/** TCP segments of the first client payload buffered to reassemble a ClientHello. */
export const PENDING_MAX_SEGMENTS = 2;
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
   * Parses a flow's first client payload bytes (`held` from an earlier segment joined in front).
   * Returns the result; `NeedMore` means buffer and wait when the segment budget allows.
   */
  firstPayload(held: Buffer | undefined, buf: Buffer, at: number, end: number): { result: NameParseResult; data: Buffer } {
    const data = held === undefined ? buf.subarray(at, end) : Buffer.concat([held, buf.subarray(at, end)]);
    const result = data[0] === TLS_HANDSHAKE ? parseClientHelloSni(data) : parseHttpHost(data);
    return { result, data };
  }

  /** Counts a finished first-payload parse; returns the name, if any. */
  settle(result: NameParseResult, tls: boolean): string | undefined {
    if (result.status === NameParse.Found) {
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

  /** Whether `bytes` more may be held for a ClientHello spanning segments. */
  canHold(bytes: number, segments: number): boolean {
    return bytes < CLIENT_HELLO_MAX_BYTES && segments < PENDING_MAX_SEGMENTS;
  }
}
