import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NameParse } from './nameParse.js';
import { parseClientHelloSni } from './parseClientHelloSni.js';
import { hasOpenssl, nodeClientHello, opensslClientHello, selfSigned, startHelloServer, type HelloServer } from '../internal/testing/tlsHello.js';

const openssl = await hasOpenssl();

describe.skipIf(!openssl)('parseClientHelloSni on real ClientHellos (needs the openssl binary)', () => {
  let server: HelloServer;
  beforeAll(async () => {
    server = await startHelloServer('127.0.0.1', await selfSigned('c2.example.net'));
  });
  afterAll(async () => {
    await server.close();
  });

  it('reads the name Node tls.connect sent, and the handshake completed', async () => {
    const hello = server.nextHello();
    await nodeClientHello(server, 'Updates.Example.NET');
    const bytes = await hello;
    expect(parseClientHelloSni(bytes)).toEqual({ status: NameParse.Found, name: 'updates.example.net' });
    expect(server.handshakes).toBeGreaterThanOrEqual(1);
  });

  it('reads the name openssl s_client -servername sent, TLS 1.2 and 1.3', async () => {
    for (const extra of [['-tls1_2'], ['-tls1_3']]) {
      const hello = server.nextHello();
      await opensslClientHello(server, 'cdn-front.example.org', extra);
      expect(parseClientHelloSni(await hello)).toEqual({ status: NameParse.Found, name: 'cdn-front.example.org' });
    }
  });

  it('a real ClientHello with any one length byte or 16-bit field set to 0 or its maximum: a status, never a throw or a wrong name', async () => {
    const hello = server.nextHello();
    await nodeClientHello(server, 'lengths.example.com');
    const bytes = await hello;
    const seen = new Set<number>();
    for (let at = 0; at < bytes.length; at++) {
      for (const [width, value] of [[1, 0], [1, 0xff], [2, 0], [2, 0xffff]] as const) {
        if (at + width > bytes.length) continue;
        const m = Buffer.from(bytes);
        if (width === 1) m[at] = value;
        else m.writeUInt16BE(value, at);
        const t0 = performance.now();
        const r = parseClientHelloSni(m);
        expect(performance.now() - t0).toBeLessThan(50);
        seen.add(r.status);
        // Found only with a well-formed name: the real one, or a host name a changed byte inside it made.
        if (r.status === NameParse.Found) expect(r.name).toMatch(/^[a-z0-9._:*-]+$/);
        // and every truncation of the mutated message as well
        for (const cut of [at, at + 1, Math.min(m.length, at + 300)]) expect(Object.values(NameParse)).toContain(parseClientHelloSni(m, 0, cut).status);
      }
    }
    expect(seen).toContain(NameParse.Malformed);
    expect(seen).toContain(NameParse.Found);
  });

  it('every prefix is NeedMore until the name is complete, then Found', async () => {
    const hello = server.nextHello();
    await nodeClientHello(server, 'prefix.example.com');
    const bytes = await hello;
    let firstFound = -1;
    for (let n = 0; n <= bytes.length; n++) {
      const r = parseClientHelloSni(bytes, 0, n);
      if (r.status === NameParse.Found) {
        if (firstFound === -1) firstFound = n;
        expect(r.name).toBe('prefix.example.com');
      } else {
        expect(firstFound).toBe(-1);
        expect(r.status).toBe(NameParse.NeedMore);
      }
    }
    expect(firstFound).toBeGreaterThan(40);
    expect(firstFound).toBeLessThan(bytes.length + 1);
  });
});

/** A minimal ClientHello with the given extensions (type, data). */
function hello(exts: [number, Buffer][], recordSplit?: number): Buffer {
  const extBytes = Buffer.concat(
    exts.map(([t, d]) => {
      const h = Buffer.alloc(4);
      h.writeUInt16BE(t, 0);
      h.writeUInt16BE(d.length, 2);
      return Buffer.concat([h, d]);
    }),
  );
  const extLen = Buffer.alloc(2);
  extLen.writeUInt16BE(extBytes.length, 0);
  const body = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 7), Buffer.from([0]), Buffer.from([0, 2, 0x13, 0x01]), Buffer.from([1, 0]), extLen, extBytes]);
  const hs = Buffer.concat([Buffer.from([1, body.length >> 16, (body.length >> 8) & 255, body.length & 255]), body]);
  const record = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0x16, 3, 1, b.length >> 8, b.length & 255]), b]);
  if (recordSplit === undefined) return record(hs);
  return Buffer.concat([record(hs.subarray(0, recordSplit)), record(hs.subarray(recordSplit))]);
}

function sni(name: string): Buffer {
  const n = Buffer.from(name, 'latin1');
  const entry = Buffer.concat([Buffer.from([0, n.length >> 8, n.length & 255]), n]);
  return Buffer.concat([Buffer.from([entry.length >> 8, entry.length & 255]), entry]);
}

describe('parseClientHelloSni on built messages', () => {
  it('finds SNI after other extensions, and across two TLS records', () => {
    const exts: [number, Buffer][] = [[0x0010, Buffer.from([0, 3, 2, 0x68, 0x32])], [0, sni('a.example.com')]];
    expect(parseClientHelloSni(hello(exts))).toEqual({ status: NameParse.Found, name: 'a.example.com' });
    expect(parseClientHelloSni(hello(exts, 20))).toEqual({ status: NameParse.Found, name: 'a.example.com' });
  });

  it('tells NoName, NotThisProtocol and Malformed apart', () => {
    expect(parseClientHelloSni(hello([[0x0010, Buffer.from([0, 0])]])).status).toBe(NameParse.NoName);
    expect(parseClientHelloSni(Buffer.from('GET / HTTP/1.1\r\n')).status).toBe(NameParse.NotThisProtocol);
    expect(parseClientHelloSni(hello([[0, sni('bad name!')]])).status).toBe(NameParse.Malformed);
    const lying = hello([[0, sni('x.example')]]);
    lying.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1 + 4 + 2); // extensions length past the message
    expect(parseClientHelloSni(lying).status).toBe(NameParse.Malformed);
  });

  it('fuzz: any bytes, truncations and oversized lengths give a status, never a throw', () => {
    const base = hello([[0x000a, Buffer.from([0, 2, 0, 0x1d])], [0, sni('fuzz.example.com')]]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = parseClientHelloSni(bytes);
        expect(Object.values(NameParse)).toContain(r.status);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(base.length), (at, value, cut) => {
        const mutated = Buffer.from(base);
        mutated[at] = value;
        const r = parseClientHelloSni(mutated, 0, cut);
        expect(Object.values(NameParse)).toContain(r.status);
        if (r.status === NameParse.Found) expect(r.name).toMatch(/^[a-z0-9._:*-]+$/);
      }),
      { numRuns: 2000 },
    );
  });
});
