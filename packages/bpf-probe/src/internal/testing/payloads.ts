/** Builds TLS ClientHellos, DNS responses and payload records for the name tests. */
import { connect as tlsConnect } from 'node:tls';
import { createServer } from 'node:net';
import { PAYLOAD_HEADER_SIZE, PAYLOAD_RECORD_SIZE } from '../names.js';

/**
 * A TLS 1.2/1.3-shaped ClientHello naming `name`, with `padBefore` bytes of a padding
 * extension (21) placed before the server_name extension (browsers that randomise extension
 * order can put a large key share there).
 */
export function clientHello(name: string, padBefore = 0): Buffer {
  const ext = (type: number, data: Buffer): Buffer => {
    const h = Buffer.alloc(4);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(data.length, 2);
    return Buffer.concat([h, data]);
  };
  const n = Buffer.from(name, 'latin1');
  const entry = Buffer.concat([Buffer.from([0, n.length >> 8, n.length & 255]), n]);
  const sni = Buffer.concat([Buffer.from([entry.length >> 8, entry.length & 255]), entry]);
  const exts = Buffer.concat([...(padBefore > 0 ? [ext(21, Buffer.alloc(padBefore))] : []), ext(0, sni)]);
  const extLen = Buffer.from([exts.length >> 8, exts.length & 255]);
  const body = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 7), Buffer.from([0]), Buffer.from([0, 2, 0x13, 0x01]), Buffer.from([1, 0]), extLen, exts]);
  const hs = Buffer.concat([Buffer.from([1, body.length >> 16, (body.length >> 8) & 255, body.length & 255]), body]);
  return Buffer.concat([Buffer.from([0x16, 3, 1, hs.length >> 8, hs.length & 255]), hs]);
}

/** The ClientHello Node's tls.connect sends for `servername` (captured by a plain TCP server on loopback). */
export async function nodeClientHello(servername: string): Promise<Buffer> {
  const server = createServer();
  const got = new Promise<Buffer>((resolve) => {
    server.once('connection', (s) => {
      const chunks: Buffer[] = [];
      s.on('data', (d: Buffer) => {
        chunks.push(d);
        const all = Buffer.concat(chunks);
        if (all.length >= 5 && all.length >= 5 + all.readUInt16BE(3)) {
          resolve(all);
          s.destroy();
        }
      });
      s.on('error', () => {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const c = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false });
  c.on('error', () => {});
  const hello = await got;
  c.destroy();
  server.close();
  return hello;
}

/** A DNS response for `name` with A answers (TTL `ttl`), the name compressed in the answers. */
export function dnsResponse(name: string, addrs: string[], ttl = 300): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0x1234, 0);
  head.writeUInt16BE(0x8180, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(addrs.length, 6);
  const q = Buffer.concat([
    ...name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])),
    Buffer.from([0, 0, 1, 0, 1]),
  ]);
  const answers = addrs.map((a) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(ttl, 6);
    rr.writeUInt16BE(4, 10);
    a.split('.').forEach((o, i) => (rr[12 + i] = Number(o)));
    return rr;
  });
  return Buffer.concat([head, q, ...answers]);
}

export interface PayloadSpec {
  /** 1 first client payload, 2 DNS response. */
  kind: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto?: number;
  /** The captured bytes (at most 1024 are stored). */
  data: Uint8Array;
  /** The packet's payload length (defaults to data.length). */
  origLen?: number;
  /** Overrides the stored `len` field (to test lying lengths). */
  len?: number;
}

/** Payload records laid out as the addon hands them over (bpf/probe.h `struct beacon_payload`). */
export function payloadRecords(specs: PayloadSpec[]): Buffer {
  const buf = Buffer.alloc(specs.length * PAYLOAD_RECORD_SIZE);
  specs.forEach((s, i) => {
    const o = i * PAYLOAD_RECORD_SIZE;
    Buffer.from(s.src.split('.').map(Number)).copy(buf, o + 8);
    Buffer.from(s.dst.split('.').map(Number)).copy(buf, o + 24);
    buf.writeUInt16LE(s.sport, o + 40);
    buf.writeUInt16LE(s.dport, o + 42);
    buf[o + 44] = s.proto ?? (s.kind === 2 ? 17 : 6);
    buf[o + 45] = 4;
    buf[o + 46] = s.kind;
    const stored = Math.min(s.data.length, PAYLOAD_RECORD_SIZE - PAYLOAD_HEADER_SIZE);
    buf.writeUInt32LE(s.len ?? stored, o + 48);
    buf.writeUInt32LE(s.origLen ?? s.data.length, o + 52);
    Buffer.from(s.data.subarray(0, stored)).copy(buf, o + PAYLOAD_HEADER_SIZE);
  });
  return buf;
}
