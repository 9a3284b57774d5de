import type { ConnectionEvent } from '@beacon/detector';
import { SourceError } from '../errors.js';
import type { PcapOptions } from '../readPcap.js';
import type { CaptureHandler, CaptureParser } from './capture.js';
import { FlowTable } from './flowTable.js';
import type { OpenedInput } from './input.js';
import { Decoded, decodePacket, Packet } from './packetDecoder.js';
import { PcapClassicParser } from './pcapClassic.js';
import { PcapngParser } from './pcapng.js';
import type { Sink } from './stats.js';
import type { RowWriter } from '../columns.js';

/** Bytes of a new chunk joined to the carried-over bytes: more than any sane record. */
const JOIN = 256 * 1024 + 64;

/**
 * The default `maxFlows` of the capture reader: flows tracked at once. A detector fed by the
 * reader never has more flows open than this.
 */
export const CAPTURE_MAX_FLOWS = 262_144;

/** pcap or pcapng by magic number, undefined for anything else. */
export function sniffCapture(head: Buffer): 'pcap' | 'pcapng' | undefined {
  if (head.length < 4) return undefined;
  const m = head.readUInt32LE(0);
  if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap';
  if (m === 0x0a0d0d0a) return 'pcapng';
  return undefined;
}

interface FlowOptions {
  idleGapSec: number;
  flowTimeoutSec: number;
  closedLingerSec: number;
  maxFlows: number;
  names: boolean;
  maxDnsNames: number;
}

function checkOptions(o: PcapOptions): FlowOptions {
  const { idleGapSec = 1, flowTimeoutSec = 120, closedLingerSec = 10, maxFlows = CAPTURE_MAX_FLOWS, names = true, maxDnsNames = 65_536 } = o;
  if (!(Number.isInteger(maxDnsNames) && maxDnsNames >= 1)) throw new SourceError('INVALID_OPTION', `maxDnsNames must be a positive integer, got ${maxDnsNames}`);
  if (!(closedLingerSec >= 0)) throw new SourceError('INVALID_OPTION', `closedLingerSec must be >= 0, got ${closedLingerSec}`);
  if (!(idleGapSec > 0)) throw new SourceError('INVALID_OPTION', `idleGapSec must be > 0, got ${idleGapSec}`);
  if (!(flowTimeoutSec > 0)) throw new SourceError('INVALID_OPTION', `flowTimeoutSec must be > 0, got ${flowTimeoutSec}`);
  if (!(Number.isInteger(maxFlows) && maxFlows >= 1)) throw new SourceError('INVALID_OPTION', `maxFlows must be a positive integer, got ${maxFlows}`);
  return { idleGapSec, flowTimeoutSec, closedLingerSec, maxFlows, names, maxDnsNames };
}

/**
 * Reads a pcap/pcapng capture through the flow table into events. The parsers are written
 * here on purpose: the npm pcap readers either wrap libpcap natively or parse whole files in
 * memory, and none streams pcapng with per-interface time resolutions at this speed.
 */
export function readCapture(opened: OpenedInput, sink: Sink, options: PcapOptions): AsyncGenerator<ConnectionEvent[]> {
  return readCaptureInto(opened, sink, options, undefined) as AsyncGenerator<ConnectionEvent[]>;
}

/** {@link readCapture} writing its events into `writer` as rows and yielding the writer's batches. */
export function readCaptureRows<B>(opened: OpenedInput, sink: Sink, options: PcapOptions, writer: RowWriter<B>): AsyncGenerator<B> {
  return readCaptureInto(opened, sink, options, writer) as AsyncGenerator<B>;
}

async function* readCaptureInto(opened: OpenedInput, sink: Sink, options: PcapOptions, writer: RowWriter<unknown> | undefined): AsyncGenerator<unknown> {
  const params = checkOptions(options);
  const stats = sink.stats;
  const format = sniffCapture(opened.head);
  if (format === undefined) {
    const magic = opened.head.subarray(0, 4).toString('hex');
    throw new SourceError('BAD_HEADER', `${opened.name}: not a pcap or pcapng file (starts with ${magic || 'nothing'})`);
  }
  stats.format = format;
  const table = new FlowTable({ ...params, node: options.node ?? `pcap:${opened.name}` }, stats, (e) => sink.push(e), writer);
  const pk = new Packet();
  const reported = new Set<number>();
  const skipped = stats.skipped;
  const handler: CaptureHandler = {
    packet(linkType, iface, buf, off, caplen, sec, nsec, offset) {
      stats.records++;
      const r = decodePacket(linkType, buf, off, caplen, pk);
      if (r === Decoded.Ok) table.add(pk, sec, nsec, buf);
      else if (r === Decoded.NonIp) skipped.nonIp++;
      else if (r === Decoded.NonTcpUdp) skipped.nonTcpUdp++;
      else if (r === Decoded.Fragment) skipped.fragments++;
      else if (r === Decoded.Malformed) sink.problem({ kind: 'malformed_packet', offset, message: pk.error });
      else {
        skipped.unsupportedLinkType++;
        if (!reported.has(iface)) {
          reported.add(iface);
          sink.problem({ kind: 'unsupported_link_type', offset, message: `interface ${iface}: link type ${linkType} is not decoded; its packets are skipped` });
        }
      }
    },
    problem: (p) => sink.problem(p),
  };
  const parser: CaptureParser = format === 'pcap' ? new PcapClassicParser(handler, opened.name) : new PcapngParser(handler, opened.name);
  let carry: Buffer | undefined;
  let base = 0;
  for await (const chunk of opened.chunks) {
    stats.bytes += chunk.length;
    let data = chunk;
    if (carry !== undefined) {
      // Join the carried bytes with just the start of the chunk (enough for the record that
      // straddles the boundary) instead of copying the whole chunk.
      const joined = Buffer.concat([carry, chunk.subarray(0, Math.min(chunk.length, JOIN))]);
      const used = parser.parse(joined, base, false);
      base += used;
      data = used >= carry.length ? chunk.subarray(used - carry.length) : Buffer.concat([joined.subarray(used), chunk.subarray(joined.length - carry.length)]);
    }
    const used = parser.parse(data, base, false);
    base += used;
    carry = used < data.length ? data.subarray(used) : undefined;
    if (writer !== undefined) for (const batch of writer.take()) yield batch;
    else for (const batch of sink.take()) yield batch;
  }
  parser.parse(carry ?? Buffer.alloc(0), base, true);
  if (opened.truncatedGzip()) {
    sink.problem({ kind: 'truncated_record', offset: stats.bytes, message: `gzip stream cut short after ${stats.bytes} decompressed bytes` });
  }
  // Flows still open at the end are ended with their totals, so long connections are not lost.
  // Flows whose first client payload never came still started: report them either way.
  table.flushPending();
  if (options.endFlowsAtEof ?? true) {
    // in steps, so the flow ends go on in batches rather than all at once
    while (table.endAll(4096)) {
      if (writer !== undefined) for (const batch of writer.take()) yield batch;
      else for (const batch of sink.take()) yield batch;
    }
  }
  if (writer !== undefined) for (const batch of writer.take(true)) yield batch;
  else for (const batch of sink.take(true)) yield batch;
}
