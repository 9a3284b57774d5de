import type { ConnectionEvent } from '@beacon/detector';
import { DnsNameTable, DnsParse, NameParse, parseClientHelloSni, parseDnsResponse, parseHttpHost } from '@beacon/sources';
import { formatIpv6, ipv4Text } from './ip.js';

/** Bytes of a payload record's header (bpf/probe.h `struct beacon_payload`). */
export const PAYLOAD_HEADER_SIZE = 56;
/** Most payload bytes the kernel captures per record (`BEACON_PAYLOAD_CAP`). */
export const PAYLOAD_CAPTURE_BYTES = 1024;
/** Size of one payload slot as the addon hands it over. */
export const PAYLOAD_RECORD_SIZE: number = PAYLOAD_HEADER_SIZE + PAYLOAD_CAPTURE_BYTES;

const KIND_FIRST = 1;
const KIND_DNS = 2;
const TLS_HANDSHAKE = 0x16;
const TCP = 6;

/** Server-name counters of a running probe (see {@link ProbeCounters.names}). */
export interface ProbeNameCounters {
  /** Payload records the kernel tried to hand over (first client payloads and DNS responses). */
  payloadRecords: number;
  /** Payload records lost in the kernel (payload ring full, or bytes unreadable). */
  payloadDrops: number;
  /** Payload records read by user space. */
  payloadsRead: number;
  /** TCP flows named by a TLS ClientHello's SNI. */
  tlsServerNames: number;
  /** TCP flows named by an HTTP/1.x Host header. */
  httpHosts: number;
  /** DNS responses read. */
  dnsResponses: number;
  /** Address answers learned from DNS responses. */
  dnsAnswers: number;
  /** Events with no SNI or Host named through a DNS answer for their destination. */
  dnsNamed: number;
  /**
   * First payloads and DNS responses whose name lies past the captured bytes: cut at the
   * 1024-byte capture length, or a ClientHello continuing in a later TCP segment.
   */
  truncated: number;
  /** ClientHellos, HTTP request heads or DNS responses that broke their format. */
  malformed: number;
  /** `flow_start` events delivered without waiting longer for their first client payload. */
  startsReleasedUnnamed: number;
  /** Held `flow_start` events released early because `maxHeldStarts` was reached. */
  heldOverflow: number;
  /** Per-flow names forgotten because the bounded flow-name table was full. */
  flowNameEvictions: number;
  /** Addresses forgotten by the bounded DNS name table. */
  dnsEvictions: number;
}

/** Options of {@link Namer}. */
export interface NamerOptions {
  /** Milliseconds a TCP `flow_start` waits for the flow's first client payload. */
  holdMs: number;
  /** Most `flow_start` events held at once. */
  maxHeldStarts: number;
  /** Most TCP flows whose name is remembered until their `flow_end`. */
  maxFlowNames: number;
  /** Most addresses the DNS name table remembers. */
  maxDnsNames: number;
}

interface Held {
  event: ConnectionEvent;
  untilMs: number;
}

function flowKey(srcIp: string, srcPort: number, dstIp: string, dstPort: number): string {
  return `${srcIp}|${srcPort}|${dstIp}|${dstPort}`;
}

/**
 * The probe's naming stage. It reads the kernel's payload records with the shared parsers of
 * `@beacon/sources` (TLS ClientHello SNI, HTTP Host, DNS responses), holds each TCP
 * `flow_start` until its first client payload is parsed (at most `holdMs`), and sets
 * `serverName` on events: the flow's SNI or Host, else the DNS name its destination was
 * answered for. Everything is bounded and counted.
 */
export class Namer {
  readonly dns: DnsNameTable;
  readonly counts: Omit<ProbeNameCounters, 'payloadRecords' | 'payloadDrops' | 'dnsEvictions'> = {
    payloadsRead: 0, tlsServerNames: 0, httpHosts: 0, dnsResponses: 0, dnsAnswers: 0, dnsNamed: 0, truncated: 0,
    malformed: 0, startsReleasedUnnamed: 0, heldOverflow: 0, flowNameEvictions: 0,
  };
  /** TCP flows whose first client payload was read: the name, or null when it had none. */
  private readonly flowNames = new Map<string, string | null>();
  private readonly held = new Map<string, Held>();
  /** Events ready to deliver (released starts, then the batch's events), in order. */
  private out: ConnectionEvent[] = [];

  constructor(private readonly options: NamerOptions) {
    this.dns = new DnsNameTable({ maxEntries: options.maxDnsNames });
  }

  /** Flow starts waiting for their first payload. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Reads `count` payload records from `buf` (slots of {@link PAYLOAD_RECORD_SIZE}). */
  readPayloads(buf: Uint8Array, count: number, nowMs: number): void {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0, o = 0; i < count; i++, o += PAYLOAD_RECORD_SIZE) {
      this.counts.payloadsRead++;
      const v6 = buf[o + 45] === 6;
      const kind = buf[o + 46];
      const len = Math.min(view.getUint32(o + 48, true), PAYLOAD_CAPTURE_BYTES);
      const cut = view.getUint32(o + 52, true) > len;
      const at = o + PAYLOAD_HEADER_SIZE;
      const srcIp = v6 ? formatIpv6(buf, o + 8) : ipv4Text(view.getInt32(o + 8, false));
      const dstIp = v6 ? formatIpv6(buf, o + 24) : ipv4Text(view.getInt32(o + 24, false));
      if (kind === KIND_DNS) this.dnsResponse(buf, at, at + len, cut, nowMs / 1000);
      else if (kind === KIND_FIRST && buf[o + 44] === TCP) {
        const key = flowKey(srcIp, view.getUint16(o + 40, true), dstIp, view.getUint16(o + 42, true));
        this.firstPayload(key, buf, at, at + len, cut);
      }
    }
  }

  private dnsResponse(buf: Uint8Array, at: number, end: number, cut: boolean, timeSec: number): void {
    const r = parseDnsResponse(buf, at, end);
    if (r.status === DnsParse.Malformed) {
      if (cut) this.counts.truncated++;
      else this.counts.malformed++;
      return;
    }
    if (r.status !== DnsParse.Ok) return;
    this.counts.dnsResponses++;
    for (const a of r.answers) this.dns.learn(a.address, a.name, a.ttlSec, timeSec);
    this.counts.dnsAnswers += r.answers.length;
  }

  private firstPayload(key: string, buf: Uint8Array, at: number, end: number, cut: boolean): void {
    const tls = buf[at] === TLS_HANDSHAKE;
    const r = tls ? parseClientHelloSni(buf, at, end) : parseHttpHost(buf, at, end);
    let name: string | null = null;
    if (r.status === NameParse.Found && r.name !== undefined) {
      name = r.name;
      if (tls) this.counts.tlsServerNames++;
      else this.counts.httpHosts++;
    } else if (r.status === NameParse.NeedMore) {
      // a valid prefix that stops before the name: cut at the capture length or by the segment
      if (tls || cut) this.counts.truncated++;
    } else if (r.status === NameParse.Malformed) {
      this.counts.malformed++;
    }
    if (this.flowNames.has(key)) this.flowNames.delete(key);
    else if (this.flowNames.size >= this.options.maxFlowNames) {
      this.flowNames.delete(this.flowNames.keys().next().value as string);
      this.counts.flowNameEvictions++;
    }
    this.flowNames.set(key, name);
    const h = this.held.get(key);
    if (h !== undefined) {
      this.held.delete(key);
      this.out.push(this.named(h.event, key));
    }
  }

  /** Sets `serverName` from the flow's first payload, else from DNS; returns the event. */
  private named(e: ConnectionEvent, key: string | undefined): ConnectionEvent {
    const flow = key === undefined ? undefined : this.flowNames.get(key);
    if (flow != null) {
      e.serverName = flow;
      return e;
    }
    const dns = this.dns.lookup(e.dstIp, e.tsSec + e.tsNsec / 1e9);
    if (dns !== undefined) {
      e.serverName = dns;
      this.counts.dnsNamed++;
    }
    return e;
  }

  private release(key: string, h: Held, early: boolean): void {
    this.held.delete(key);
    if (!this.flowNames.has(key)) {
      this.counts.startsReleasedUnnamed++;
      if (early) this.counts.heldOverflow++;
    }
    this.out.push(this.named(h.event, key));
  }

  /**
   * Names a batch of events; returns the events to deliver now (starts released by payloads
   * read since the last call, then this batch's events minus the TCP starts now held).
   */
  nameBatch(events: readonly ConnectionEvent[], nowMs: number): ConnectionEvent[] {
    for (const e of events) {
      if (e.protocol !== TCP) {
        this.out.push(this.named(e, undefined));
        continue;
      }
      const key = flowKey(e.srcIp, e.srcPort, e.dstIp, e.dstPort);
      const h = this.held.get(key);
      if (e.kind === 'flow_start') {
        if (h !== undefined) this.release(key, h, false); // the 5-tuple was reused
        // the payload may have been read first (same drain); otherwise wait for it
        if (this.options.holdMs <= 0 || this.flowNames.has(key)) {
          this.out.push(this.named(e, key));
          continue;
        }
        if (this.held.size >= this.options.maxHeldStarts) {
          const [oldKey, old] = this.held.entries().next().value as [string, Held];
          this.release(oldKey, old, true);
        }
        this.held.set(key, { event: e, untilMs: nowMs + this.options.holdMs });
        continue;
      }
      if (h !== undefined) this.release(key, h, false);
      this.out.push(this.named(e, key));
      if (e.kind === 'flow_end') this.flowNames.delete(key);
    }
    return this.take();
  }

  /** Releases starts whose wait is over (all of them with `all`); returns the events to deliver. */
  expire(nowMs: number, all = false): ConnectionEvent[] {
    for (const [key, h] of this.held) {
      if (!all && h.untilMs > nowMs) break; // held in arrival order: the rest wait longer
      this.release(key, h, false);
    }
    return this.take();
  }

  private take(): ConnectionEvent[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}
