import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isSourceError, SourceError } from './errors.js';
import { openSource, sniffSource } from './openSource.js';
import { collect } from './internal/testing/collect.js';
import { ethernet, ipPacket, pcapFile, pcapngFile, S } from './internal/testing/captureWriter.js';

const dir = mkdtempSync(join(tmpdir(), 'beacon-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frame = ethernet(ipPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, flags: S }));
const tsv = '#separator \\x09\n#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n1.5\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\n';
const json = '{"ts":1.5,"id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":2,"proto":"tcp"}\n';

function file(name: string, data: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

describe('openSource', () => {
  it.each([
    ['conn.log', tsv, 'zeek-tsv', false, 1],
    ['conn.json', json, 'zeek-json', false, 1],
    ['conn.log.gz', gzipSync(tsv), 'zeek-tsv', true, 1],
    ['a.pcap', pcapFile(1, [{ t: 1, data: frame }]), 'pcap', false, 2],
    ['a.pcap.gz', gzipSync(pcapFile(1, [{ t: 1, data: frame }], { nano: true, bigEndian: true })), 'pcap', true, 2],
    ['a.pcapng', pcapngFile([{ linkType: 1 }], [{ t: 1, data: frame }]), 'pcapng', false, 2],
  ])('sniffs %s', async (name, data, format, gzip, count) => {
    const source = await openSource(file(name, data));
    const events = await collect(source);
    expect(events).toHaveLength(count);
    expect(events[0]).toMatchObject({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', tsSec: 1 });
    expect(source.stats).toMatchObject({ format, gzip });
  });

  it('passes reader options through and honours a forced format', async () => {
    const source = await openSource(file('x.txt', tsv), { format: 'zeek', node: 'sensor-1' });
    expect((await collect(source))[0]?.node).toBe('sensor-1');
  });

  it('rejects unknown content and missing files with typed errors', async () => {
    const unknown = await openSource(file('x.bin', Buffer.from([1, 2, 3, 4, 5]))).catch((e: unknown) => e);
    expect(isSourceError(unknown) && unknown.code).toBe('UNKNOWN_FORMAT');
    const missing = await openSource(join(dir, 'nope')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SourceError);
    expect(isSourceError(missing) && missing.code).toBe('OPEN_FAILED');
    expect(isSourceError(new Error('x'))).toBe(false);
  });
});

describe('sniffSource', () => {
  it('tells the format and gzip from the first bytes, and the errors openSource gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beacon-sniff-'));
    try {
      const tsv = join(dir, 'conn.log');
      writeFileSync(tsv, '#separator \\x09\n#fields\tts\n1\n');
      const gz = join(dir, 'conn.json.gz');
      writeFileSync(gz, gzipSync('{"ts":1}\n'));
      const junk = join(dir, 'junk.bin');
      writeFileSync(junk, Buffer.alloc(32, 7));
      expect(await sniffSource(tsv)).toEqual({ format: 'zeek-tsv', gzip: false });
      expect(await sniffSource(gz)).toEqual({ format: 'zeek-json', gzip: true });
      await expect(sniffSource(junk)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
      await expect(sniffSource(join(dir, 'missing.log'))).rejects.toMatchObject({ code: 'OPEN_FAILED' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
