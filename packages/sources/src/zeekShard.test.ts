import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZeekConnLog } from './readZeekConnLog.js';
import { isSourceError } from './errors.js';
import type { SourceProblem } from './types.js';
import { chunked, collect } from './internal/testing/collect.js';

const T = '\t';
const FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'orig_bytes', 'orig_pkts'];
const header = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', `#fields${T}${FIELDS.join(T)}`, `#types${T}${FIELDS.map(() => 'string').join(T)}`].join('\n');

/** 2,000 rows from 97 originators (IPv4 and IPv6) and a few damaged lines. */
function log(): string {
  const lines = [header];
  for (let i = 0; i < 2000; i++) {
    const src = i % 7 === 0 ? `fd00::${(i % 13).toString(16)}` : `10.1.${i % 11}.${i % 9}`;
    lines.push([String(1_700_000_000 + i), `C${i}`, src, String(40000 + (i % 500)), `198.51.100.${i % 5}`, '443', 'tcp', String(100 + i), '3'].join(T));
    if (i === 500) lines.push('a\tshort\tline');
    if (i === 900) lines.push(['garbage', 'Cx', '10.9.9.9', '1', '198.51.100.1', '443', 'tcp', '1', '1'].join(T));
  }
  // A header block without the originator column: its rows can be given to no shard.
  lines.push(`#fields${T}ts${T}uid`, `1700009998${T}Cx`, `#fields${T}${FIELDS.join(T)}`);
  lines.push(['1700009999', 'Cend', '10.1.2.3', '5', '198.51.100.2', '443', 'tcp', '1', '1'].join(T));
  return `${lines.join('\n')}\n`;
}

async function read(text: Buffer, shard?: { index: number; count: number }) {
  const problems: SourceProblem[] = [];
  const source = readZeekConnLog(chunked(text, 4096), { ...(shard ? { shard } : {}), onProblem: (p) => problems.push(p) });
  const events = await collect(source);
  return { events, stats: source.stats, problems };
}

const key = (e: { srcIp: string; dstIp: string; srcPort: number; tsSec: number }): string => `${e.tsSec} ${e.srcIp} ${e.srcPort} ${e.dstIp}`;

describe('readZeekConnLog shard', () => {
  for (const count of [2, 3]) {
    it(`${count} shards read every row exactly once, each originator in one shard`, async () => {
      const text = Buffer.from(log());
      const whole = await read(text);
      const parts = await Promise.all(Array.from({ length: count }, (_, index) => read(text, { index, count })));
      const union = parts.flatMap((p) => p.events.map(key)).sort();
      expect(union).toEqual(whole.events.map(key).sort());
      expect(parts.every((p) => p.events.length > 0 && p.events.length < whole.events.length)).toBe(true);
      const owner = new Map<string, number>();
      parts.forEach((p, i) => {
        for (const e of p.events) {
          expect(owner.get(e.srcIp) ?? i).toBe(i);
          owner.set(e.srcIp, i);
        }
      });
      // Counters add up to the whole file's; a damaged line is reported by one shard only.
      expect(parts.reduce((a, p) => a + p.stats.records, 0)).toBe(whole.stats.records);
      expect(parts.reduce((a, p) => a + p.stats.events, 0)).toBe(whole.stats.events);
      for (const kind of ['garbled_line', 'garbled_header'] as const) {
        expect(parts.reduce((a, p) => a + p.stats.problems[kind], 0)).toBe(whole.stats.problems[kind]);
      }
      expect(whole.stats.problems.garbled_line).toBe(3);
      expect(whole.stats.problems.garbled_header).toBe(1);
      expect(parts.flatMap((p) => p.problems.map((q) => q.line)).sort()).toEqual(whole.problems.map((q) => q.line).sort());
      expect(parts.every((p) => p.stats.bytes === whole.stats.bytes)).toBe(true);
    });
  }

  it('shards a gzipped log the same way', async () => {
    const text = Buffer.from(log());
    const plain = await read(text, { index: 1, count: 2 });
    const gz = await read(gzipSync(text), { index: 1, count: 2 });
    expect(gz.events.map(key)).toEqual(plain.events.map(key));
  });

  it('one shard of one is the whole log', async () => {
    const text = Buffer.from(log());
    expect((await read(text, { index: 0, count: 1 })).events.length).toBe((await read(text)).events.length);
  });

  it('refuses a shard out of range, naming the field', async () => {
    const text = Buffer.from(log());
    for (const [shard, field] of [
      [{ index: 2, count: 2 }, 'shard.index'],
      [{ index: 0, count: 0 }, 'shard.count'],
      [{ index: 0.5, count: 2 }, 'shard.index'],
    ] as const) {
      const error = await read(text, shard).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSourceError(error) && error.code === 'INVALID_OPTION' && error.message.startsWith(field)).toBe(true);
    }
  });
});
