import type { ConnectionEvent, Direction, EventKind } from '@beacon/detector';
import { formatIpv6, ipv4TextCached as ipv4Text } from '@beacon/detector';

/** Size of one record handed over by the addon (bpf/probe.h `struct beacon_event`). */
export const RECORD_SIZE = 80;

const KINDS: readonly EventKind[] = ['flow_start', 'flow_start', 'burst', 'flow_end'];
const DIRECTIONS: readonly Direction[] = ['unknown', 'ingress', 'egress'];
const TWO_32 = 4_294_967_296;

/** Result of decoding one batch. */
export interface DecodedBatch {
  events: ConnectionEvent[];
  /** Records the kernel wrote (as opposed to the userspace idle sweep). */
  fromKernel: number;
}

/**
 * Decodes the first `count` records of `buf` (all of them by default). Layout after the
 * reader thread's rewrite: tsSec u32, tsNsec u32, durationNs u64, bytes u64, packets u64,
 * src[16], dst[16], sport u16, dport u16, proto, family, kind, dir, tcpFlags, origin (host
 * byte order except addresses). One tight loop over a DataView; events of one kind share one
 * object shape, and address strings come from the interning caches in ./ip.ts.
 */
export function decodeRecords(buf: Uint8Array, node: string, count: number = Math.floor(buf.byteLength / RECORD_SIZE)): DecodedBatch {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const events: ConnectionEvent[] = new Array<ConnectionEvent>(count);
  let fromKernel = 0;
  for (let i = 0, o = 0; i < count; i++, o += RECORD_SIZE) {
    const v6 = buf[o + 69] === 6;
    const kindCode = buf[o + 70] ?? 0;
    const tsSec = view.getUint32(o, true);
    const tsNsec = view.getUint32(o + 4, true);
    const srcIp = v6 ? formatIpv6(buf, o + 32) : ipv4Text(view.getInt32(o + 32, false));
    const dstIp = v6 ? formatIpv6(buf, o + 48) : ipv4Text(view.getInt32(o + 48, false));
    const srcPort = view.getUint16(o + 64, true);
    const dstPort = view.getUint16(o + 66, true);
    const protocol = buf[o + 68] ?? 0;
    const direction = DIRECTIONS[buf[o + 71] ?? 0] ?? 'unknown';
    const bytes = view.getUint32(o + 16, true) + view.getUint32(o + 20, true) * TWO_32;
    const packets = view.getUint32(o + 24, true) + view.getUint32(o + 28, true) * TWO_32;
    const tcpFlags = buf[o + 72] ?? 0;
    if (buf[o + 73] === 0) fromKernel++;
    if (kindCode === 3) {
      const durationSec = (view.getUint32(o + 8, true) + view.getUint32(o + 12, true) * TWO_32) / 1e9;
      events[i] = {
        tsSec, tsNsec, srcIp, dstIp, srcPort, dstPort, protocol, direction, bytes, packets, tcpFlags,
        kind: 'flow_end', node, durationSec,
      };
    } else {
      events[i] = {
        tsSec, tsNsec, srcIp, dstIp, srcPort, dstPort, protocol, direction, bytes, packets, tcpFlags,
        kind: KINDS[kindCode] ?? 'flow_start', node,
      };
    }
  }
  return { events, fromKernel };
}
