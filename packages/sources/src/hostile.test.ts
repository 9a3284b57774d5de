import type { ConnectionEvent } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { readPcap } from './readPcap.js';
import { readZeekConnLog } from './readZeekConnLog.js';
import { chunked, collect } from './internal/testing/collect.js';
import { ethernet, ipPacket, pcapngFile, S } from './internal/testing/captureWriter.js';
import type { SourceProblem } from './types.js';

// Defects 9 and 12 of issue 17: one impossible timestamp used to end a hunt with `Invalid time
// value`, and a 20 MB line was counted as five records, shifting every later line number.
const T = '\t';
const FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'duration'];
const HEADER = ['#separator \\x09', `#fields${T}${FIELDS.join(T)}`].join('\n');
const row = (ts: string, port: number, duration = '-'): string => [ts, 'C', '10.0.0.1', String(port), '10.0.0.2', '443', 'tcp', duration].join(T);
const times = (events: ConnectionEvent[]): number[] => events.map((e) => e.tsSec);
/** Every event's time must be one a Date can show (the hunt's listings print them). */
const printable = (events: ConnectionEvent[]): void => {
  for (const e of events) expect(() => new Date((e.tsSec - (e.durationSec ?? 0)) * 1000).toISOString()).not.toThrow();
};

describe('sources against hostile input', () => {
  it('defect 9: a conn.log row with an impossible ts or duration is a problem with its line; the rest is read', async () => {
    const text = [HEADER, row('1700000000', 1), row('8640000000001', 2), row('1700000060', 3), row('1700000120', 4, '1e300'), row('1700000180', 5), ''].join('\n');
    const problems: SourceProblem[] = [];
    const events = await collect(readZeekConnLog(chunked(Buffer.from(text), 7), { onProblem: (p) => problems.push(p) }));
    expect(times(events)).toEqual([1_700_000_000, 1_700_000_060, 1_700_000_180]);
    expect(problems.map((p) => [p.kind, p.line])).toEqual([
      ['garbled_line', 4],
      ['garbled_line', 6],
    ]);
    printable(events);
    // the JSON flavour too
    const json = ['{"ts":1700000000,"id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":443,"proto":"tcp"}', '{"ts":8640000000001,"id.orig_h":"10.0.0.1","id.orig_p":2,"id.resp_h":"10.0.0.2","id.resp_p":443,"proto":"tcp"}', ''].join('\n');
    const jp: SourceProblem[] = [];
    expect(times(await collect(readZeekConnLog(chunked(Buffer.from(json), 64), { onProblem: (p) => jp.push(p) })))).toEqual([1_700_000_000]);
    expect(jp.map((p) => p.line)).toEqual([2]);
  });

  it('defect 9: a pcapng EPB with ts_high 0xFFFFFFFF, or an IDB with if_tsresol 0x80, is a problem with its offset', async () => {
    const c = { src: '10.0.0.1', dst: '10.0.0.2', dport: 443, flags: S };
    const file = pcapngFile(
      [{ linkType: 1 }],
      [
        { t: 1_700_000_000, data: ethernet(ipPacket({ ...c, sport: 1000 })) },
        { t: 1_700_000_010, data: ethernet(ipPacket({ ...c, sport: 1001 })) },
      ],
    );
    // Make the second packet's ts_high 0xFFFFFFFF: its EPB is the last block.
    const epb = file.length - (12 + 20 + Math.ceil(ethernet(ipPacket({ ...c, sport: 1001 })).length / 4) * 4);
    file.writeUInt32LE(0xffffffff, epb + 8 + 4);
    const problems: SourceProblem[] = [];
    const events = await collect(readPcap(chunked(file, 64), { onProblem: (p) => problems.push(p), endFlowsAtEof: false }));
    expect(times(events)).toEqual([1_700_000_000]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'garbled_record', offset: epb, message: expect.stringMatching(/timestamp/) })]);
    printable(events);

    // if_tsresol 0x80: 2^0 units, so the microsecond counts become seconds far beyond year 5000
    const binary = pcapngFile([{ linkType: 1, tsresol: 6 }], [{ t: 1_700_000_000, data: ethernet(ipPacket({ ...c, sport: 1002 })) }]);
    const option = 28 + 8 + 8; // SHB block, IDB header, link type + snaplen: the if_tsresol option
    expect([binary.readUInt16LE(option), binary[option + 4]]).toEqual([9, 6]);
    binary[option + 4] = 0x80;
    const bp: SourceProblem[] = [];
    expect(await collect(readPcap(chunked(binary, 64), { onProblem: (p) => bp.push(p) }))).toEqual([]);
    expect(bp.map((p) => p.kind)).toEqual(['garbled_record']);
  });

  it('defect 12: a 20 MB line is one problem and later line numbers stay right', async () => {
    const huge = 'x'.repeat(20 * 1024 * 1024);
    const text = [HEADER, row('1700000000', 1), huge, row('garbage', 2), row('1700000060', 3), ''].join('\n');
    const problems: SourceProblem[] = [];
    const source = readZeekConnLog(chunked(Buffer.from(text), 1 << 20), { onProblem: (p) => problems.push(p) });
    const events = await collect(source);
    expect(times(events)).toEqual([1_700_000_000, 1_700_000_060]);
    expect(problems.map((p) => [p.kind, p.line])).toEqual([
      ['garbled_line', 4],
      ['garbled_line', 5],
    ]);
    expect(problems[0]?.message).toMatch(/longer than/);
    expect(source.stats.records).toBe(4);
  });
});
