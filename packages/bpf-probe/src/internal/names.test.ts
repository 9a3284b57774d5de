import type { ConnectionEvent } from '@beacon/detector';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Namer, PAYLOAD_CAPTURE_BYTES, PAYLOAD_RECORD_SIZE } from './names.js';
import { clientHello, dnsResponse, nodeClientHello, payloadRecords, type PayloadSpec } from './testing/payloads.js';

const T0 = 1_700_000_000;
const CLIENT = '10.0.0.5';
const C2 = '198.51.100.10';

function namer(holdMs = 1000): Namer {
  return new Namer({ holdMs, maxHeldStarts: 4, maxFlowNames: 1000, maxDnsNames: 1000 });
}

function ev(kind: ConnectionEvent['kind'], sport: number, over: Partial<ConnectionEvent> = {}): ConnectionEvent {
  return {
    tsSec: T0, tsNsec: 0, srcIp: CLIENT, dstIp: C2, srcPort: sport, dstPort: 443, protocol: 6, direction: 'egress',
    bytes: 0, packets: 1, tcpFlags: 2, kind, node: 't', ...over,
  };
}

function first(sport: number, data: Uint8Array, over: Partial<PayloadSpec> = {}): PayloadSpec {
  return { kind: 1, src: CLIENT, dst: C2, sport, dport: 443, data, ...over };
}

function read(n: Namer, specs: PayloadSpec[]): void {
  n.readPayloads(payloadRecords(specs), specs.length, T0 * 1000);
}

describe('naming events from payload records', () => {
  it('holds a TCP flow_start until its ClientHello is read, then names it and its end', () => {
    const n = namer();
    expect(n.nameBatch([ev('flow_start', 40000)], 0)).toEqual([]);
    expect(n.heldCount).toBe(1);
    read(n, [first(40000, clientHello('C2.Example.NET'))]);
    const released = n.nameBatch([], 10);
    expect(released.map((e) => [e.kind, e.serverName])).toEqual([['flow_start', 'c2.example.net']]);
    const end = n.nameBatch([ev('flow_end', 40000)], 20);
    expect(end[0]?.serverName).toBe('c2.example.net');
    expect(n.counts.tlsServerNames).toBe(1);
  });

  it('names a start at once when its payload was read first, and an HTTP Host too', () => {
    const n = namer();
    read(n, [first(40001, Buffer.from('GET / HTTP/1.1\r\nHost: Updates.Example.com:8080\r\n\r\n'))]);
    expect(n.nameBatch([ev('flow_start', 40001)], 0)[0]?.serverName).toBe('updates.example.com');
    expect(n.counts.httpHosts).toBe(1);
  });

  it('releases an unnamed start after the wait, named from DNS when its address was answered for', () => {
    const n = namer(500);
    read(n, [{ kind: 2, src: '10.0.0.53', dst: CLIENT, sport: 53, dport: 5353, data: dnsResponse('cdn.example.org', [C2, '198.51.100.11']) }]);
    expect(n.counts.dnsAnswers).toBe(2);
    expect(n.nameBatch([ev('flow_start', 40002), ev('flow_start', 40003, { dstIp: '203.0.113.1' })], 0)).toEqual([]);
    expect(n.expire(499)).toEqual([]);
    const out = n.expire(500);
    expect(out.map((e) => e.serverName)).toEqual(['cdn.example.org', undefined]);
    expect(n.counts.startsReleasedUnnamed).toBe(2);
    expect(n.counts.dnsNamed).toBe(1);
    // UDP events are never held, and are named from DNS as well.
    expect(n.nameBatch([ev('flow_start', 40004, { protocol: 17, dstPort: 4444 })], 0)[0]?.serverName).toBe('cdn.example.org');
  });

  it('a burst or end of a held flow releases its start first, in order', () => {
    const n = namer();
    n.nameBatch([ev('flow_start', 40005)], 0);
    const out = n.nameBatch([ev('burst', 40005)], 1);
    expect(out.map((e) => e.kind)).toEqual(['flow_start', 'burst']);
  });

  it('holds at most maxHeldStarts, releasing the oldest (counted)', () => {
    const n = namer();
    const out = n.nameBatch([40010, 40011, 40012, 40013, 40014, 40015].map((p) => ev('flow_start', p)), 0);
    expect(out.map((e) => e.srcPort)).toEqual([40010, 40011]);
    expect(n.counts.heldOverflow).toBe(2);
    expect(n.heldCount).toBe(4);
    expect(n.expire(0, true)).toHaveLength(4);
  });

  it('an SNI past the capture length is counted truncated, not malformed, and names nothing', () => {
    const n = namer();
    const hello = clientHello('far.example.net', 1200);
    read(n, [first(40020, hello)]);
    expect(n.counts.truncated).toBe(1);
    expect(n.counts.malformed).toBe(0);
    n.nameBatch([ev('flow_start', 40020)], 0);
    expect(n.expire(0, true)[0]?.serverName).toBeUndefined();
  });
});

describe('truncated kernel captures', () => {
  it('a real Node ClientHello cut at every length: truncated until the name is whole, then found; never malformed', async () => {
    const hello = await nodeClientHello('cut.example.net');
    expect(hello.length).toBeLessThanOrEqual(PAYLOAD_CAPTURE_BYTES + 2048);
    const n = namer(0);
    const specs: PayloadSpec[] = [];
    const top = Math.min(hello.length, PAYLOAD_CAPTURE_BYTES);
    for (let len = 1; len <= top; len++) specs.push(first(20000 + len, hello.subarray(0, len), { origLen: hello.length }));
    read(n, specs);
    expect(n.counts.payloadsRead).toBe(specs.length);
    expect(n.counts.malformed).toBe(0);
    expect(n.counts.tlsServerNames + n.counts.truncated).toBe(specs.length);
    expect(n.counts.tlsServerNames).toBeGreaterThan(0);
    // once found, every longer prefix finds it too
    const names = specs.map((s) => n.nameBatch([ev('flow_start', s.sport)], 0)[0]?.serverName);
    const firstFound = names.indexOf('cut.example.net');
    expect(names.slice(firstFound).every((x) => x === 'cut.example.net')).toBe(true);
    expect(names.slice(0, firstFound).every((x) => x === undefined)).toBe(true);
  });

  it('a DNS response cut at every length is truncated or read, never a crash', () => {
    const full = dnsResponse('cdn.example.org', ['198.51.100.1', '198.51.100.2', '198.51.100.3']);
    const n = namer();
    const specs: PayloadSpec[] = [];
    for (let len = 1; len <= full.length; len++) specs.push({ kind: 2, src: '10.0.0.53', dst: CLIENT, sport: 53, dport: 5353, data: full.subarray(0, len), origLen: full.length });
    read(n, specs);
    expect(n.counts.malformed).toBe(0);
    expect(n.counts.truncated + n.counts.dnsResponses).toBe(specs.length);
    expect(n.dns.lookup('198.51.100.3', T0)).toBe('cdn.example.org');
  });

  it('fuzz: random records (lying lengths, any kind, any bytes) are counted, never thrown on', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.integer({ min: 0, max: 3 }),
            data: fc.oneof(fc.uint8Array({ maxLength: 1100 }), fc.constant(clientHello('x.example.com')), fc.constant(dnsResponse('a.example', ['192.0.2.1']))),
            cut: fc.nat({ max: 1100 }),
            len: fc.option(fc.nat({ max: 0xffffffff })),
          }),
          { maxLength: 20 },
        ),
        (recs) => {
          const n = namer();
          const specs = recs.map((r, i): PayloadSpec => ({
            kind: r.kind, src: CLIENT, dst: C2, sport: r.kind === 2 ? 53 : 30000 + i, dport: 443,
            data: r.data.subarray(0, Math.min(r.cut, r.data.length)), origLen: r.data.length, ...(r.len === null ? {} : { len: r.len }),
          }));
          const buf = payloadRecords(specs);
          expect(buf.length).toBe(specs.length * PAYLOAD_RECORD_SIZE);
          n.readPayloads(buf, specs.length, T0 * 1000);
          expect(n.counts.payloadsRead).toBe(specs.length);
          n.nameBatch(specs.map((s) => ev('flow_start', s.sport)), 0);
          n.expire(0, true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
