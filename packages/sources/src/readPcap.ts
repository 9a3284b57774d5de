import { readCapture } from './internal/captureReader.js';
import { makeSource } from './internal/source.js';
import type { EventSource, SourceInput, SourceOptions } from './types.js';

/** Options of {@link readPcap}: the two flow parameters the kernel program shares, and the table bound. */
export interface PcapOptions extends SourceOptions {
  /**
   * Silence, in seconds, after which a flow's next packet is reported as a `burst`.
   * @default 1
   */
  idleGapSec?: number;
  /**
   * A flow idle for longer than this many seconds (packet time) is ended with a `flow_end`.
   * @default 120
   */
  flowTimeoutSec?: number;
  /**
   * After a TCP FIN/RST has ended a flow, its 5-tuple is remembered for this many seconds of
   * silence so the connection's last packets (the peer's FIN, the final ACK) do not open a new
   * flow; a SYN without ACK starts a new flow at once. 0 forgets the flow immediately.
   * @default 10
   */
  closedLingerSec?: number;
  /**
   * Most flows tracked at once; when full, the least recently active flow is ended
   * (`flow_end`) and counted in `stats.flows.evicted`. Bounds memory whatever the file size.
   * @default 262144
   */
  maxFlows?: number;
  /**
   * End flows still open at end of input with a `flow_end` carrying their totals (useful for
   * long-connection tracking). Off leaves them unreported, as a live probe would until they end.
   * @default true
   */
  endFlowsAtEof?: boolean;
  /**
   * Learn server names: a new TCP flow's `flow_start` waits (at most a few packets, or
   * `idleGapSec`) for the client's first payload and carries `serverName` from its TLS
   * ClientHello SNI (reassembled over two segments when needed) or HTTP/1.x Host; DNS responses
   * seen in the capture name flows to the answered addresses when there is no SNI or Host.
   * Counted in `stats.names`. Off keeps the plain address flow logic.
   * @default true
   */
  names?: boolean;
  /**
   * Most addresses the DNS name table remembers (least recently answered forgotten first,
   * counted in `stats.names.evicted`).
   * @default 65536
   */
  maxDnsNames?: number;
}

/**
 * Reads a pcap or pcapng capture (optionally gzip-compressed) and runs the live probe's flow
 * logic over it: `flow_start` for each new bidirectional 5-tuple, `burst` for the first packet
 * after `idleGapSec` of silence, `flow_end` on FIN/RST, idle timeout, eviction and end of input.
 * Link types: Ethernet (VLAN tags), Linux SLL and SLL2, raw IPv4/IPv6, BSD loopback.
 * Damaged records are reported with their byte offset and counted; reading continues.
 * @example
 * const source = readPcap('capture.pcapng', { idleGapSec: 2 });
 * for await (const batch of source) for (const e of batch) console.log(e.kind, e.srcIp, e.dstIp);
 */
export function readPcap(input: SourceInput, options: PcapOptions = {}): EventSource {
  return makeSource(input, options, (opened, sink) => readCapture(opened, sink, options));
}
