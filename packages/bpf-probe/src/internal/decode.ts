import type { ConnectionEvent, Direction, EventKind } from '@beacon/detector';
import { formatIpv4, formatIpv6 } from './ip.js';

/** Size of one record handed over by the addon (bpf/probe.h `struct beacon_event`). */
export const RECORD_SIZE = 80;

const KINDS: readonly EventKind[] = ['flow_start', 'flow_start', 'burst', 'flow_end'];
const DIRECTIONS: readonly Direction[] = ['unknown', 'ingress', 'egress'];

/** Result of decoding one batch. */
export interface DecodedBatch {
  events: ConnectionEvent[];
  /** Records the kernel wrote (as opposed to the userspace idle sweep). */
  fromKernel: number;
}

/**
 * Decodes a batch of records. Layout after the reader thread's rewrite: tsSec u32, tsNsec u32,
 * durationNs u64, bytes u64, packets u64, src[16], dst[16], sport u16, dport u16, proto,
 * family, kind, dir, tcpFlags, origin (host byte order except addresses).
 */
export function decodeRecords(buf: Uint8Array, node: string): DecodedBatch {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const count = Math.floor(buf.byteLength / RECORD_SIZE);
  const events: ConnectionEvent[] = new Array<ConnectionEvent>(count);
  let fromKernel = 0;
  for (let i = 0; i < count; i++) {
    const o = i * RECORD_SIZE;
    const v6 = buf[o + 69] === 6;
    const kind = KINDS[buf[o + 70] ?? 0] ?? 'flow_start';
    const event: ConnectionEvent = {
      tsSec: view.getUint32(o, true),
      tsNsec: view.getUint32(o + 4, true),
      srcIp: v6 ? formatIpv6(buf, o + 32) : formatIpv4(buf, o + 32),
      dstIp: v6 ? formatIpv6(buf, o + 48) : formatIpv4(buf, o + 48),
      srcPort: view.getUint16(o + 64, true),
      dstPort: view.getUint16(o + 66, true),
      protocol: buf[o + 68] ?? 0,
      direction: DIRECTIONS[buf[o + 71] ?? 0] ?? 'unknown',
      bytes: view.getUint32(o + 16, true) + view.getUint32(o + 20, true) * 4_294_967_296,
      packets: view.getUint32(o + 24, true) + view.getUint32(o + 28, true) * 4_294_967_296,
      tcpFlags: buf[o + 72] ?? 0,
      kind,
      node,
    };
    if (kind === 'flow_end') {
      event.durationSec = (view.getUint32(o + 8, true) + view.getUint32(o + 12, true) * 4_294_967_296) / 1e9;
    }
    if (buf[o + 73] === 0) fromKernel++;
    events[i] = event;
  }
  return { events, fromKernel };
}
