import { describe, expect, it } from 'vitest';
import { readPcap } from './readPcap.js';
import { chunked, collect } from './internal/testing/collect.js';
import { A, ethernet, ipPacket, P, pcapngFile, S } from './internal/testing/captureWriter.js';

describe('readPcap on pcapng', () => {
  it('uses each interface link type and if_tsresol, exactly to the nanosecond', async () => {
    const c = { src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 8080 };
    const file = pcapngFile(
      [{ linkType: 1 }, { linkType: 101, tsresol: 9 }],
      [
        { t: [1_700_000_000, 250_000_000], data: ethernet(ipPacket({ ...c, flags: S })) },
        { t: [1_700_000_003, 987_654_321], iface: 1, data: ipPacket({ src: 'fe80::1', dst: 'ff02::fb', sport: 5353, dport: 5353, proto: 'udp', payload: 3 }) },
        { t: [1_700_000_004, 0], data: ethernet(ipPacket({ ...c, flags: P | A, payload: 20 })) },
      ],
    );
    const source = readPcap(chunked(file, 16), { endFlowsAtEof: false });
    const events = await collect(source);
    expect(events.map((e) => [e.kind, e.srcIp, e.tsSec, e.tsNsec, e.bytes])).toEqual([
      ['flow_start', '10.0.0.1', 1_700_000_000, 250_000_000, 0],
      ['flow_start', 'fe80::1', 1_700_000_003, 987_654_321, 3],
      ['burst', '10.0.0.1', 1_700_000_004, 0, 20],
    ]);
    expect(source.stats.format).toBe('pcapng');
  });
});
