import { describe, expect, it } from 'vitest';
import { readPcap } from './readPcap.js';
import { chunked, collect } from './internal/testing/collect.js';
import { ethernet, ipPacket, pcapFile, pcapngBlock, pcapngFile, type Rec } from './internal/testing/captureWriter.js';

/** Ten UDP flows one second apart, each one packet of 16 + 42 + 10 bytes. */
function recs(): Rec[] {
  return Array.from({ length: 10 }, (_, i) => ({
    t: 1000 + i,
    data: ethernet(ipPacket({ src: '10.1.1.1', dst: '10.2.2.2', sport: 2000 + i, dport: 53, proto: 'udp', payload: 10 })),
  }));
}
const RECORD = 16 + 14 + 20 + 8 + 10;

describe('damaged captures', () => {
  it('reports a truncated final record with its offset and still reads everything before it', async () => {
    const file = pcapFile(1, recs());
    const source = readPcap(chunked(file.subarray(0, file.length - 10), 100));
    const events = await collect(source);
    expect(source.stats.problemSamples).toEqual([
      { kind: 'truncated_record', offset: 24 + 9 * RECORD, message: 'last record declares 52 bytes, file has 42; decoding what is there' },
    ]);
    // The cut record still has its headers, so it is decoded too.
    expect(events.filter((e) => e.kind === 'flow_start')).toHaveLength(10);
  });

  it('reports a file ending inside a record header', async () => {
    const file = pcapFile(1, recs());
    const source = readPcap(chunked(file.subarray(0, 24 + 3 * RECORD + 5), 64));
    await collect(source);
    expect(source.stats.problemSamples).toEqual([{ kind: 'truncated_record', offset: 24 + 3 * RECORD, message: 'file ends 5 bytes into a 16-byte record header' }]);
    expect(source.stats.records).toBe(3);
  });

  it('skips garbled bytes, reports where they start and resynchronises on the next record', async () => {
    const file = pcapFile(1, recs());
    const cut = 24 + 4 * RECORD;
    const damaged = Buffer.concat([file.subarray(0, cut), Buffer.alloc(37, 0xff), file.subarray(cut)]);
    const offsets: number[] = [];
    const source = readPcap(chunked(damaged, 33), { onProblem: (p) => offsets.push(p.offset ?? -1) });
    const events = await collect(source);
    expect(offsets).toEqual([cut]);
    expect(source.stats.problems.garbled_record).toBe(1);
    expect(source.stats.records).toBe(10);
    expect(events.filter((e) => e.kind === 'flow_start')).toHaveLength(10);
  });

  it('pcapng: skips unknown blocks, resynchronises after a garbled block and reports a truncated one', async () => {
    const unknown = pcapngBlock(0x0bad, Buffer.alloc(10, 7));
    const file = pcapngFile([{ linkType: 1 }], recs(), [unknown]);
    const epb = 12 + 20 + 52; // block overhead + EPB fields + frame
    const firstEpb = 28 + 24 + 20; // SHB + unknown block + IDB
    const cut = firstEpb + 3 * epb;
    const damaged = Buffer.concat([file.subarray(0, cut), Buffer.alloc(24, 0xee), file.subarray(cut, file.length - 8)]);
    const problems: string[] = [];
    const source = readPcap(chunked(damaged, 50), { onProblem: (p) => problems.push(`${p.kind}@${p.offset}`) });
    const events = await collect(source);
    expect(problems).toEqual([`garbled_record@${cut}`, `truncated_record@${cut + 24 + 6 * epb}`]);
    expect(source.stats.format).toBe('pcapng');
    expect(source.stats.records).toBe(9);
    expect(events.filter((e) => e.kind === 'flow_start')).toHaveLength(9);
  });
});
