import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionEvent } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { formatZeekConnLog } from './formatZeekConnLog.js';
import { readZeekConnLog } from './readZeekConnLog.js';

describe('formatZeekConnLog', () => {
  it('writes a conn.log that the Zeek reader reads back to the same connections', async () => {
    const events: ConnectionEvent[] = [0, 1, 2].map((i) => ({
      tsSec: 1_700_000_000 + i * 60, tsNsec: 250_000_000, srcIp: '10.0.0.5', dstIp: i === 2 ? '2001:db8::9' : '203.0.113.9',
      srcPort: 40_000 + i, dstPort: 443, protocol: i === 1 ? 17 : 6, direction: 'egress', bytes: 300 + i, packets: 3, tcpFlags: 2, kind: 'flow_start', node: 'n',
    }));
    const dir = await mkdtemp(join(tmpdir(), 'beacon-zeek-'));
    try {
      const file = join(dir, 'conn.log');
      await writeFile(file, formatZeekConnLog(events));
      const back: ConnectionEvent[] = [];
      for await (const batch of readZeekConnLog(file)) back.push(...batch);
      expect(back.map((e) => [e.tsSec, Math.round(e.tsNsec / 1e6), e.srcIp, e.dstIp, e.srcPort, e.dstPort, e.protocol, e.bytes])).toEqual(
        events.map((e) => [e.tsSec, 250, e.srcIp, e.dstIp, e.srcPort, e.dstPort, e.protocol, e.bytes]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
