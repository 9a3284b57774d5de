import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import http from 'node:http';
import net from 'node:net';
import { NameParse } from './nameParse.js';
import { parseHttpHost } from './parseHttpHost.js';

/** The first bytes Node's real HTTP client sends to a loopback server. */
async function realRequest(host: string): Promise<Buffer> {
  let resolveBytes: (b: Buffer) => void = () => undefined;
  const got = new Promise<Buffer>((r) => (resolveBytes = r));
  const server = net.createServer((s) => {
    s.once('data', (d: Buffer) => {
      resolveBytes(d);
      s.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/beat?id=7', headers: { Host: host } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', () => resolve());
    req.end();
  });
  server.close();
  return got;
}

describe('parseHttpHost', () => {
  it('reads the Host a real Node HTTP client sent, port stripped', async () => {
    const bytes = await realRequest('Beacon.Example.com:8080');
    expect(parseHttpHost(bytes)).toEqual({ status: NameParse.Found, name: 'beacon.example.com' });
    // Cut before the Host header ends: more is needed.
    const at = bytes.indexOf('Host:');
    expect(parseHttpHost(bytes, 0, at + 3).status).toBe(NameParse.NeedMore);
  });

  it('handles IPv6 literals, absolute targets, missing Host and non-HTTP', () => {
    expect(parseHttpHost(Buffer.from('GET / HTTP/1.1\r\nhost: [2001:db8::1]:80\r\n\r\n'))).toEqual({ status: NameParse.Found, name: '2001:db8::1' });
    expect(parseHttpHost(Buffer.from('GET http://proxy.example/ HTTP/1.1\r\nAccept: */*\r\n\r\n'))).toEqual({ status: NameParse.Found, name: 'proxy.example' });
    expect(parseHttpHost(Buffer.from('GET / HTTP/1.0\r\nAccept: */*\r\n\r\n')).status).toBe(NameParse.NoName);
    expect(parseHttpHost(Buffer.from([0x16, 3, 1, 0, 5])).status).toBe(NameParse.NotThisProtocol);
    expect(parseHttpHost(Buffer.from('GET / HTTP/1.1\r\nHost: bad host\r\n\r\n')).status).toBe(NameParse.Malformed);
    expect(parseHttpHost(Buffer.from('PO')).status).toBe(NameParse.NeedMore);
  });

  it('fuzz: arbitrary and mutated requests give a status, never a throw', () => {
    const base = Buffer.from('POST /api HTTP/1.1\r\nUser-Agent: x\r\nHost: c2.example.com\r\n\r\n');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Object.values(NameParse)).toContain(parseHttpHost(bytes).status);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(base.length), (at, v, cut) => {
        const m = Buffer.from(base);
        m[at] = v;
        expect(Object.values(NameParse)).toContain(parseHttpHost(m, 0, cut).status);
      }),
      { numRuns: 1500 },
    );
  });
});
