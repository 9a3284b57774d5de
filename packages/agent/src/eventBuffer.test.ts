import type { ConnectionEvent } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { EventBuffer } from './eventBuffer.js';

const ev = (n: number): ConnectionEvent => ({
  tsSec: 1_700_000_000 + n, tsNsec: 0, srcIp: '10.201.1.2', dstIp: '10.201.1.1', srcPort: 40000 + n, dstPort: 443,
  protocol: 6, direction: 'ingress', bytes: 0, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 't',
});
const ports = (events: ConnectionEvent[]): number[] => events.map((e) => e.srcPort - 40000);

describe('EventBuffer', () => {
  it('keeps events in order and removes them only when acknowledged', () => {
    const b = new EventBuffer(10);
    b.push([ev(0), ev(1), ev(2)]);
    const slice = b.peek(2);
    expect(ports(slice.events)).toEqual([0, 1]);
    expect(b.length).toBe(3);
    b.ack(slice.end);
    expect(ports(b.peek(10).events)).toEqual([2]);
    expect(b.overflow).toBe(0);
  });

  it('drops the oldest when full and counts every drop', () => {
    const b = new EventBuffer(3);
    b.push([0, 1, 2, 3, 4].map(ev));
    expect(b.length).toBe(3);
    expect(b.overflow).toBe(2);
    expect(ports(b.peek(10).events)).toEqual([2, 3, 4]);
  });

  it('an ack never removes events that arrived while a batch was in flight', () => {
    const b = new EventBuffer(4);
    b.push([0, 1, 2, 3].map(ev));
    const inFlight = b.peek(4); // events 0-3 are being sent
    b.push([4, 5].map(ev)); // overflow drops 0 and 1 meanwhile
    expect(b.overflow).toBe(2);
    b.ack(inFlight.end); // delivered: 2 and 3 go, 4 and 5 stay
    expect(ports(b.peek(10).events)).toEqual([4, 5]);
    b.ack(inFlight.end); // idempotent
    expect(b.length).toBe(2);
  });

  it('wraps around its storage without losing order', () => {
    const b = new EventBuffer(3);
    for (let i = 0; i < 20; i++) {
      b.push([ev(i)]);
      if (i % 2 === 1) b.ack(b.peek(1).end);
    }
    expect(b.overflow + 10 + b.length).toBe(20);
    const left = ports(b.peek(3).events);
    expect(left).toEqual([...left].sort((x, y) => x - y));
    expect(left.at(-1)).toBe(19);
  });

  it('rejects a capacity below one', () => {
    expect(() => new EventBuffer(0)).toThrow(RangeError);
  });
});
