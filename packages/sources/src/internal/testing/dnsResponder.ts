/**
 * A tiny loopback DNS responder for tests: answers A/AAAA queries from a fixed zone (CNAME chains
 * included, names compressed with pointers, as real servers do) and keeps every response it sent,
 * so a test can feed the exact bytes a real resolver accepted to the parser.
 */
import dgram from 'node:dgram';
import { parseIpv4, parseIpv6 } from '@beacon/detector';

/** One zone record. */
export type ZoneRecord = { type: 'A' | 'AAAA'; address: string; ttl: number } | { type: 'CNAME'; target: string; ttl: number };

/** A running responder. */
export interface DnsResponder {
  port: number;
  /** Every response sent, with the query it answered. */
  responses: { query: Buffer; response: Buffer }[];
  close(): Promise<void>;
}

/** Starts a responder on 127.0.0.1 and a random port serving `zone` (name -> records). */
export async function startDnsResponder(zone: Record<string, ZoneRecord[]>): Promise<DnsResponder> {
  const sock = dgram.createSocket('udp4');
  const responses: DnsResponder['responses'] = [];
  sock.on('message', (query, rinfo) => {
    const response = answer(query, zone);
    responses.push({ query, response });
    sock.send(response, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: sock.address().port,
    responses,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

function readQuestion(q: Buffer): { name: string; type: number; end: number } {
  let p = 12;
  const labels: string[] = [];
  while ((q[p] as number) !== 0) {
    const len = q[p] as number;
    labels.push(q.subarray(p + 1, p + 1 + len).toString('latin1'));
    p += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), type: q.readUInt16BE(p + 1), end: p + 5 };
}

/** Builds the response: the question echoed, then the CNAME chain and the address records. */
function answer(q: Buffer, zone: Record<string, ZoneRecord[]>): Buffer {
  const { name, type, end } = readQuestion(q);
  const offsets = new Map<string, number>();
  offsets.set(name, 12);
  const parts: Buffer[] = [];
  let size = end;
  const encodeName = (n: string): Buffer => {
    const out: Buffer[] = [];
    const labels = n.split('.');
    for (let i = 0; i < labels.length; i++) {
      const rest = labels.slice(i).join('.');
      const at = offsets.get(rest);
      if (at !== undefined) {
        out.push(Buffer.from([0xc0 | (at >> 8), at & 0xff]));
        return Buffer.concat(out);
      }
      const here = size + out.reduce((a, b) => a + b.length, 0);
      if (here < 0x3fff) offsets.set(rest, here);
      const l = Buffer.from(labels[i] as string, 'latin1');
      out.push(Buffer.from([l.length]), l);
    }
    out.push(Buffer.from([0]));
    return Buffer.concat(out);
  };
  let count = 0;
  let current = name;
  for (let hops = 0; hops < 8; hops++) {
    const recs = zone[current] ?? [];
    const cname = recs.find((r) => r.type === 'CNAME');
    if (cname !== undefined && cname.type === 'CNAME') {
      const owner = encodeName(current);
      size += owner.length;
      const head = Buffer.alloc(10);
      head.writeUInt16BE(5, 0);
      head.writeUInt16BE(1, 2);
      head.writeUInt32BE(cname.ttl, 4);
      size += 10;
      const target = encodeName(cname.target);
      head.writeUInt16BE(target.length, 8);
      size += target.length;
      parts.push(owner, head, target);
      count++;
      current = cname.target;
      continue;
    }
    for (const r of recs) {
      if (r.type === 'CNAME' || (r.type === 'A' ? 1 : 28) !== type) continue;
      const owner = encodeName(current);
      const head = Buffer.alloc(10);
      head.writeUInt16BE(type, 0);
      head.writeUInt16BE(1, 2);
      head.writeUInt32BE(r.ttl, 4);
      let data: Buffer;
      if (r.type === 'A') {
        data = Buffer.alloc(4);
        data.writeUInt32BE(parseIpv4(r.address) ?? 0, 0);
      } else {
        data = Buffer.alloc(16);
        (parseIpv6(r.address) ?? [0, 0, 0, 0]).forEach((w, i) => data.writeUInt32BE(w >>> 0, i * 4));
      }
      head.writeUInt16BE(data.length, 8);
      size += owner.length + 10 + data.length;
      parts.push(owner, head, data);
      count++;
    }
    break;
  }
  const header = Buffer.from(q.subarray(0, 12));
  header.writeUInt16BE(0x8180 | (q.readUInt16BE(2) & 0x0100), 2); // response, RA, RD copied
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(count, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  return Buffer.concat([header, q.subarray(12, end), ...parts]);
}
