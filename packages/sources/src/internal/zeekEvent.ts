import type { ConnectionEvent, Direction } from '@beacon/detector';

/** Protocol number of a Zeek `proto` value, -1 for `unknown_transport` or anything else. */
export function zeekProtocol(proto: string, v6: boolean): number {
  switch (proto) {
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmp':
      // Zeek writes `icmp` for ICMPv6 too.
      return v6 ? 58 : 1;
    default:
      return -1;
  }
}

/** TCP flags implied by a Zeek `history` (S syn, H syn-ack, A ack, F fin, R rst; either side), as bytes. */
export function historyFlags(buf: Uint8Array | string, start: number, end: number): number {
  let f = 0;
  for (let i = start; i < end; i++) {
    switch ((typeof buf === 'string' ? buf.charCodeAt(i) : (buf[i] as number)) | 0x20) {
      case 0x73: // s
        f |= 0x02;
        break;
      case 0x68: // h
        f |= 0x12;
        break;
      case 0x61: // a
        f |= 0x10;
        break;
      case 0x66: // f
        f |= 0x01;
        break;
      case 0x72: // r
        f |= 0x04;
        break;
    }
  }
  return f;
}

/** Direction from Zeek's `local_orig`/`local_resp`: leaving the local network is egress. */
export function zeekDirection(localOrig: boolean | undefined, localResp: boolean | undefined): Direction {
  if (localOrig === true && localResp === false) return 'egress';
  if (localOrig === false && localResp === true) return 'ingress';
  return 'unknown';
}

/** Zeek connection states in which the TCP handshake never completed. */
const NO_HANDSHAKE = new Set(['S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']);

/**
 * Whether a TCP conn.log row is a failed connection attempt, from its `conn_state`: no
 * handshake (S0, REJ, RSTOS0, RSTRH, SH, SHR, OTH), or reset (RSTO, RSTR) before any payload
 * either way. Undefined when the row has no `conn_state` (the detector then judges by flags).
 */
export function zeekFailed(connState: string | undefined, origBytes: number, respBytes: number): boolean | undefined {
  if (connState === undefined || connState === '') return undefined;
  if (NO_HANDSHAKE.has(connState)) return true;
  if (connState === 'RSTO' || connState === 'RSTR') return origBytes === 0 && respBytes === 0;
  return false;
}

/** Builds the flow-start event a conn.log row stands for. */
export function zeekEvent(
  tsSec: number,
  tsNsec: number,
  srcIp: string,
  dstIp: string,
  srcPort: number,
  dstPort: number,
  protocol: number,
  direction: Direction,
  bytes: number,
  packets: number,
  tcpFlags: number,
  node: string,
  durationSec: number,
  localOrig?: boolean,
  localResp?: boolean,
  failed?: boolean,
): ConnectionEvent {
  const e: ConnectionEvent = {
    tsSec,
    tsNsec,
    srcIp,
    dstIp,
    srcPort,
    dstPort,
    protocol,
    direction,
    bytes,
    packets,
    tcpFlags,
    kind: 'flow_start',
    node,
  };
  if (durationSec >= 0) e.durationSec = durationSec;
  if (localOrig !== undefined) e.localOrig = localOrig;
  if (localResp !== undefined) e.localResp = localResp;
  if (failed !== undefined) e.failed = failed;
  return e;
}
