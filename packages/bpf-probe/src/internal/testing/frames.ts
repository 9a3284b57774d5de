/** Builds Ethernet frames for raw-socket and BPF_PROG_TEST_RUN tests and the bench. */
import { isIPv6 } from 'node:net';

export interface FrameSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** 6 TCP or 17 UDP, or any other IP protocol number. */
  proto?: number;
  payload?: number;
  /** Payload bytes (instead of `payload` filler bytes). */
  data?: Uint8Array;
  tcpFlags?: number;
  /** VLAN ids, outermost first; the outer one uses 802.1ad when two are given. */
  vlans?: number[];
}

function v4(addr: string): Buffer {
  return Buffer.from(addr.split('.').map(Number));
}

function v6(addr: string): Buffer {
  const [head = '', tail] = addr.split('::');
  const parts = (s: string): number[] => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const h = parts(head);
  const t = tail === undefined ? [] : parts(tail);
  const words = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(w, i * 2));
  return out;
}

export function buildFrame(spec: FrameSpec): Buffer {
  const proto = spec.proto ?? 17;
  const payload = spec.data !== undefined ? Buffer.from(spec.data) : Buffer.alloc(spec.payload ?? 0, 0x61);
  const six = isIPv6(spec.src);
  let l4: Buffer;
  if (proto === 6) {
    l4 = Buffer.alloc(20);
    l4.writeUInt16BE(spec.sport, 0);
    l4.writeUInt16BE(spec.dport, 2);
    l4[12] = 5 << 4;
    l4[13] = spec.tcpFlags ?? 0x02;
  } else {
    l4 = Buffer.alloc(8);
    l4.writeUInt16BE(spec.sport, 0);
    l4.writeUInt16BE(spec.dport, 2);
    l4.writeUInt16BE(8 + payload.length, 4);
  }
  const body = Buffer.concat([l4, payload]);
  let ip: Buffer;
  if (six) {
    ip = Buffer.alloc(40);
    ip[0] = 0x60;
    ip.writeUInt16BE(body.length, 4);
    ip[6] = proto;
    ip[7] = 64;
    v6(spec.src).copy(ip, 8);
    v6(spec.dst).copy(ip, 24);
  } else {
    ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + body.length, 2);
    ip[8] = 64;
    ip[9] = proto;
    v4(spec.src).copy(ip, 12);
    v4(spec.dst).copy(ip, 16);
  }
  const vlans = spec.vlans ?? [];
  const eth = Buffer.alloc(14 + 4 * vlans.length);
  Buffer.from('020000000001020000000002', 'hex').copy(eth, 0);
  let off = 12;
  vlans.forEach((id, i) => {
    eth.writeUInt16BE(i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100, off);
    eth.writeUInt16BE(id, off + 2);
    off += 4;
  });
  eth.writeUInt16BE(six ? 0x86dd : 0x0800, off);
  return Buffer.concat([eth, ip, body]);
}
