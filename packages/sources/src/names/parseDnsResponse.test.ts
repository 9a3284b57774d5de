import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Resolver } from 'node:dns/promises';
import { DnsParse, parseDnsResponse } from './parseDnsResponse.js';
import { startDnsResponder, type DnsResponder } from '../internal/testing/dnsResponder.js';

describe('parseDnsResponse on answers a real resolver accepted', () => {
  let responder: DnsResponder;
  let resolver: Resolver;
  beforeAll(async () => {
    responder = await startDnsResponder({
      'c2.example.com': [{ type: 'CNAME', target: 'c2.example.com.cdn.example.net', ttl: 300 }],
      'c2.example.com.cdn.example.net': [{ type: 'CNAME', target: 'edge.cdn.example.net', ttl: 120 }],
      'edge.cdn.example.net': [
        { type: 'A', address: '198.51.100.10', ttl: 60 },
        { type: 'A', address: '198.51.100.11', ttl: 60 },
        { type: 'AAAA', address: '2001:db8::10', ttl: 30 },
      ],
      'plain.example.org': [{ type: 'A', address: '192.0.2.5', ttl: 3600 }],
    });
    resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${responder.port}`]);
  });
  afterAll(async () => {
    await responder.close();
  });

  it('names each address by the question name through a CNAME chain, smallest TTL', async () => {
    expect((await resolver.resolve4('c2.example.com')).sort()).toEqual(['198.51.100.10', '198.51.100.11']);
    const bytes = responder.responses.at(-1)?.response as Buffer;
    const r = parseDnsResponse(bytes);
    expect(r.status).toBe(DnsParse.Ok);
    expect(r.query).toBe('c2.example.com');
    expect(r.answers).toEqual([
      { name: 'c2.example.com', address: '198.51.100.10', ttlSec: 60 },
      { name: 'c2.example.com', address: '198.51.100.11', ttlSec: 60 },
    ]);
    expect(await resolver.resolve6('c2.example.com')).toEqual(['2001:db8::10']);
    expect(parseDnsResponse(responder.responses.at(-1)?.response as Buffer).answers).toEqual([
      { name: 'c2.example.com', address: '2001:db8::10', ttlSec: 30 },
    ]);
    expect(await resolver.resolve4('plain.example.org')).toEqual(['192.0.2.5']);
    expect(parseDnsResponse(responder.responses.at(-1)?.response as Buffer).answers).toEqual([
      { name: 'plain.example.org', address: '192.0.2.5', ttlSec: 3600 },
    ]);
  });

  it('a query is not a response; every truncation of a response is Ok or Malformed', () => {
    const { query, response } = responder.responses[0] as { query: Buffer; response: Buffer };
    expect(parseDnsResponse(query).status).toBe(DnsParse.NotResponse);
    for (let n = 0; n < response.length; n++) {
      const r = parseDnsResponse(response, 0, n);
      expect([DnsParse.Ok, DnsParse.Malformed]).toContain(r.status);
      if (r.status === DnsParse.Malformed) expect(r.error).toBeTruthy();
    }
  });
});

describe('parseDnsResponse against hostile messages', () => {
  const header = (an: number): Buffer => Buffer.from([0, 1, 0x81, 0x80, 0, 1, 0, an, 0, 0, 0, 0]);

  it('compression loops and forward pointers are malformed, not a hang', () => {
    // Question name is a pointer to itself.
    const self = Buffer.concat([header(0), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
    expect(parseDnsResponse(self)).toMatchObject({ status: DnsParse.Malformed, error: expect.stringContaining('backwards') });
    // Two labels pointing at each other through a backward chain cannot loop either.
    const chain = Buffer.concat([header(1), Buffer.from([1, 0x61, 0, 0, 1, 0, 1]), Buffer.from([0xc0, 19, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4])]);
    expect(parseDnsResponse(chain).status).toBe(DnsParse.Malformed);
  });

  it('a CNAME cycle and a long chain of backward pointers end, bounded, with sane answers', () => {
    // a CNAME b, b CNAME a, b A 10.0.0.1: the walk back towards the question stops after a bounded number of hops.
    const q = Buffer.from([1, 0x61, 0, 0, 1, 0, 1]); // question "a" at offset 12
    const b = Buffer.from([1, 0x62, 0]); // "b" written at offset 19 (inside the first answer's rdata)
    const cycle = Buffer.concat([
      header(3),
      q,
      Buffer.from([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 9, 0, 3]), b, // a CNAME b (b's name at 31)
      Buffer.from([0xc0, 31, 0, 5, 0, 1, 0, 0, 0, 9, 0, 2, 0xc0, 12]), // b CNAME a
      Buffer.from([0xc0, 31, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 10, 0, 0, 1]), // b A 10.0.0.1
    ]);
    const r = parseDnsResponse(cycle);
    expect(r.status).toBe(DnsParse.Ok);
    expect(r.answers).toHaveLength(1);
    expect(['a', 'b']).toContain(r.answers[0]?.name);
    // An owner name of 200 labels, each a pointer to the one before (kept in a TXT answer's data): far beyond 255 characters, refused.
    const chain: number[] = [1, 0x61, 0];
    let prev = 31;
    for (let i = 0; i < 200; i++) {
      chain.push(1, 0x61, 0xc0 | (prev >> 8), prev & 0xff);
      prev = 31 + 3 + i * 4;
    }
    const deep = Buffer.concat([
      header(2),
      q,
      Buffer.from([0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 9, chain.length >> 8, chain.length & 0xff]),
      Buffer.from(chain),
      Buffer.from([0xc0 | (prev >> 8), prev & 0xff, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 10, 0, 0, 1]),
    ]);
    const t0 = performance.now();
    expect(parseDnsResponse(deep)).toMatchObject({ status: DnsParse.Malformed, answers: [] });
    expect(performance.now() - t0).toBeLessThan(50);
    // An answer count far above the records present: cut short, not a long loop.
    const many = Buffer.concat([header(0), q]);
    many.writeUInt16BE(0xffff, 6);
    expect(parseDnsResponse(many).status).toBe(DnsParse.Malformed);
  });

  it('oversized names and lengths are malformed', () => {
    const long = Buffer.concat([header(0), ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 0x61)])), Buffer.from([0, 0, 1, 0, 1])]);
    expect(parseDnsResponse(long)).toMatchObject({ status: DnsParse.Malformed, error: expect.stringContaining('255') });
    const rd = Buffer.concat([header(1), Buffer.from([1, 0x61, 0, 0, 1, 0, 1]), Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0xff, 0xff, 1, 2, 3, 4])]);
    expect(parseDnsResponse(rd)).toMatchObject({ status: DnsParse.Malformed, error: expect.stringContaining('cut short') });
  });

  it('fuzz: random and mutated messages end with a status and bounded answers', () => {
    const base = Buffer.concat([
      header(2),
      Buffer.from([1, 0x61, 2, 0x62, 0x63, 0, 0, 1, 0, 1]),
      Buffer.from([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 9, 0, 4, 1, 0x7a, 0xc0, 14]),
      Buffer.from([0xc0, 34, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, 10, 0, 0, 1]),
    ]);
    expect(parseDnsResponse(base).answers).toEqual([{ name: 'a.bc', address: '10.0.0.1', ttlSec: 9 }]);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 400 }), (bytes) => {
        const r = parseDnsResponse(bytes);
        expect(Object.values(DnsParse)).toContain(r.status);
        expect(r.answers.length).toBeLessThanOrEqual(64);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(base.length), (at, v, cut) => {
        const m = Buffer.from(base);
        m[at] = v;
        expect(Object.values(DnsParse)).toContain(parseDnsResponse(m, 0, cut).status);
      }),
      { numRuns: 2000 },
    );
  });
});
