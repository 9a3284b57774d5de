import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isSourceError, type SourceProblem } from '@beacon/sources';
import { huntFiles, readerWorkerFiles, type HuntFilesOptions, type HuntResult } from './huntFiles.js';
import { availableParallelism } from 'node:os';
import { isHuntError } from './huntError.js';
import { synthTraffic, writeConnLog } from './internal/testing/synthTraffic.js';

const dir = mkdtempSync(join(tmpdir(), 'beacon-hunt-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A conn.log with what chunking must get right: a garbled line, a second header block with
 * its columns in another order (a rotated log appended), and no newline at the end.
 */
function awkwardLog(): string {
  const path = join(dir, 'awkward.log');
  const { events } = synthTraffic({ seed: 9, pairsPerProfile: 2, events: [20, 80], spanSeconds: 6 * 3600, noiseRows: 2000, noisePairs: 300 });
  writeConnLog(path, events);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines.filter((l) => l.startsWith('#'));
  const rows = lines.filter((l) => !l.startsWith('#'));
  const half = Math.floor(rows.length / 2);
  const fields = (header.find((h) => h.startsWith('#fields')) as string).split('\t').slice(1);
  // The second block swaps ts and uid.
  const order = [1, 0, ...fields.slice(2).map((_, i) => i + 2)];
  const swapped = header.map((h) => (h.startsWith('#fields') ? `#fields\t${order.map((i) => fields[i]).join('\t')}` : h));
  const second = rows.slice(half).map((r) => {
    const cols = r.split('\t');
    return order.map((i) => cols[i]).join('\t');
  });
  const text = [...header, ...rows.slice(0, 1000), 'this line is garbled', ...rows.slice(1000, half), ...swapped, ...second].join('\n');
  writeFileSync(path, text); // no final newline
  return path;
}

async function run(file: string, options: HuntFilesOptions): Promise<{ r: HuntResult; problems: SourceProblem[] }> {
  const problems: SourceProblem[] = [];
  const r = await huntFiles([file], { ...options, onProblem: (_f, p) => problems.push(p) });
  return { r, problems };
}

const summary = (r: HuntResult): string[] => r.scored.map((d) => `${d.pairKey} ${d.result.score.toFixed(6)} ${d.isBeacon} ${d.connectionCount}`);

describe('huntFiles with parse workers', () => {
  const log = awkwardLog();

  it('splits a Zeek log across workers and finds exactly what one thread finds, problems on the same lines', async () => {
    const one = await run(log, { workers: 0 });
    const two = await run(log, { workers: 2, chunkBytes: 16_384 });
    expect(one.r.events).toBeGreaterThan(3000);
    expect(one.r.files[0]?.stats.records).toBe(one.r.events + 1); // every row but the garbled one
    expect(summary(two.r)).toEqual(summary(one.r));
    expect(two.r.events).toBe(one.r.events);
    const stats = (r: HuntResult): unknown => {
      const s = r.files[0]?.stats;
      return { records: s?.records, events: s?.events, problems: s?.problems, skipped: s?.skipped, format: s?.format };
    };
    expect(stats(two.r)).toEqual(stats(one.r));
    expect(one.problems.map((p) => `${p.line} ${p.kind}`)).toEqual([`${7 + 1000} garbled_line`]);
    expect(two.problems).toEqual(one.problems);
    expect(two.r.files[0]?.stats.problemSamples).toEqual(one.r.files[0]?.stats.problemSamples);
  });

  it('parse workers, the calling thread while they load, or both: the same detections, counters and problem lines as one thread', async () => {
    const one = await run(log, { workers: 0 });
    const stats = (r: HuntResult): unknown => {
      const s = r.files[0]?.stats;
      return { records: s?.records, events: s?.events, problems: s?.problems, skipped: s?.skipped, format: s?.format, samples: s?.problemSamples };
    };
    for (const start of ['wait', 'local', 'auto'] as const) {
      const many = await run(log, { workers: 2, chunkBytes: 16_384, parallel: { mode: 'parse', start } });
      expect(summary(many.r), start).toEqual(summary(one.r));
      expect(stats(many.r), start).toEqual(stats(one.r));
      expect(many.problems, start).toEqual(one.problems);
    }
  });

  it('an empty log through parse workers has the counters of an empty log', async () => {
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    const one = await huntFiles([empty], { workers: 0 });
    const many = await huntFiles([empty], { workers: 1, parallel: { mode: 'parse' } });
    expect(many.files).toEqual(one.files);
    expect(one.files[0]?.stats).toMatchObject({ format: 'zeek-tsv', records: 0, events: 0 });
  });

  it('reads a gzipped log in workers, with the same result', async () => {
    const gz = join(dir, 'awkward.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(log)));
    const one = await run(log, { workers: 0 });
    const viaWorker = await run(gz, { workers: 1 });
    expect(viaWorker.r.files[0]?.stats.gzip).toBe(true);
    expect(summary(viaWorker.r)).toEqual(summary(one.r));
    expect(viaWorker.problems.map((p) => p.line)).toEqual(one.problems.map((p) => p.line));
  });

  it('passes the source errors through and checks its options', async () => {
    const missing = await huntFiles([join(dir, 'missing.log')], { workers: 1 }).catch((e: unknown) => e);
    expect(isSourceError(missing) || (missing as NodeJS.ErrnoException).code === 'ENOENT').toBe(true);
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.alloc(64, 7));
    const unknown = await huntFiles([junk], { workers: 1 }).catch((e: unknown) => e);
    expect(isSourceError(unknown) && unknown.code).toBe('UNKNOWN_FORMAT');
    const bad = await huntFiles([log], { workers: -1 }).catch((e: unknown) => e);
    expect(isHuntError(bad) && bad.code).toBe('INVALID_OPTION');
  });
});

const datasets = join(__dirname, '../../../../shared/datasets');
const real = [join(datasets, 'stratosphere-001-njrat/labeled-conn.log'), join(datasets, 'stratosphere-008-benign-day/conn.log.labeled')].filter((f) => existsSync(f));

describe('huntFiles in shards', () => {
  const full = (r: HuntResult): string[] => r.scored.map((d) => JSON.stringify(d));

  it('finds in 2 and 3 shards exactly what one thread finds: same detections, order, counters and problems', async () => {
    const log = awkwardLog();
    const one = await run(log, { workers: 0 });
    for (const workers of [1, 2]) {
      const many = await run(log, { workers });
      expect(full(many.r)).toEqual(full(one.r));
      const { scored: _a, files: fa, ...ca } = many.r;
      const { scored: _b, files: fb, ...cb } = one.r;
      expect(ca).toEqual(cb);
      expect(fa).toEqual(fb);
      expect(many.problems).toEqual(one.problems);
    }
  });

  it.skipIf(real.length === 0)('finds the same on the real labelled captures, read together', async () => {
    const one = await huntFiles(real, { workers: 0 });
    const two = await huntFiles(real, { workers: 2 });
    expect(one.scored.length).toBeGreaterThan(10);
    expect(full(two)).toEqual(full(one));
    expect(two.files.map((f) => f.stats)).toEqual(one.files.map((f) => f.stats));
  });

  it('a Zeek JSON log still goes through parse workers, with the same result', async () => {
    const { events } = synthTraffic({ seed: 4, pairsPerProfile: 1, events: [20, 40], spanSeconds: 3 * 3600, noiseRows: 500, noisePairs: 50 });
    const path = join(dir, 'conn.json.log');
    writeFileSync(path, events.map((e) => JSON.stringify({ ts: e.tsSec + e.tsNsec / 1e9, 'id.orig_h': e.srcIp, 'id.orig_p': e.srcPort, 'id.resp_h': e.dstIp, 'id.resp_p': e.dstPort, proto: e.protocol === 17 ? 'udp' : 'tcp', orig_bytes: e.bytes, orig_pkts: e.packets })).join('\n'));
    const one = await run(path, { workers: 0 });
    const two = await run(path, { workers: 2, chunkBytes: 8192 });
    expect(one.r.files[0]?.stats.format).toBe('zeek-json');
    expect(one.r.scored.length).toBeGreaterThan(0);
    expect(summary(two.r)).toEqual(summary(one.r));
  });
});

describe('huntFiles on a capture with more flows open than a detector holds by default', () => {
  /** A classic pcap of UDP packets, one per flow: `pairs` pairs, `perPair` source ports each, all within 100 s. */
  function udpCapture(pairs: number, perPair: number): Buffer {
    const n = pairs * perPair;
    const rec = 16 + 14 + 20 + 8;
    const out = Buffer.alloc(24 + n * rec);
    out.writeUInt32LE(0xa1b2c3d4, 0);
    out.writeUInt16LE(2, 4);
    out.writeUInt16LE(4, 6);
    out.writeUInt32LE(65535, 16);
    out.writeUInt32LE(1, 20); // Ethernet
    for (let i = 0; i < n; i++) {
      const o = 24 + i * rec;
      const us = Math.floor((i * 100e6) / n);
      out.writeUInt32LE(1_700_000_000 + Math.floor(us / 1e6), o);
      out.writeUInt32LE(us % 1e6, o + 4);
      out.writeUInt32LE(rec - 16, o + 8);
      out.writeUInt32LE(rec - 16, o + 12);
      const e = o + 16;
      out.writeUInt16BE(0x0800, e + 12);
      const ip = e + 14;
      out[ip] = 0x45;
      out.writeUInt16BE(28, ip + 2);
      out[ip + 8] = 64;
      out[ip + 9] = 17;
      const pair = i % pairs;
      out.writeUInt32BE((10 << 24) | pair, ip + 12); // 10.0.0.<pair>
      out.writeUInt32BE(((198 << 24) | (51 << 16) | (100 << 8) | pair) >>> 0, ip + 16); // 198.51.100.<pair>
      out.writeUInt16BE(1024 + Math.floor(i / pairs), ip + 20);
      out.writeUInt16BE(443, ip + 22);
      out.writeUInt16BE(8, ip + 24);
    }
    return out;
  }

  it('counts each flow once, the detector holding as many open flows as the capture reader or fewer', async () => {
    const path = join(dir, 'many-flows.pcap');
    writeFileSync(path, udpCapture(20, 5_500)); // 110,000 flows open until the end, over 100,000
    const r = await huntFiles([path], { workers: 0, detector: { minConnections: 3 } });
    expect(r.files[0]?.stats.flows).toMatchObject({ peak: 110_000, endedAtEof: 110_000, evicted: 0 });
    expect(r.scored).toHaveLength(20);
    expect(r.scored.map((d) => d.connectionCount)).toEqual(new Array(20).fill(5_500));
    // a caller's own, smaller cap is kept: the detector then forgets flows, and still counts each once
    const capped = await huntFiles([path], { workers: 0, detector: { minConnections: 3, maxOpenFlows: 50_000 } });
    expect(capped.scored.map((d) => d.connectionCount)).toEqual(new Array(20).fill(5_500));
  });

  it('workers auto: one reader worker for large captures and EVE logs on two or three cores, none for Zeek logs', async () => {
    const cap = join(dir, 'auto.pcap');
    writeFileSync(cap, udpCapture(2, 10));
    const log = join(dir, 'auto.log');
    writeConnLog(log, synthTraffic({ seed: 3, pairsPerProfile: 1, events: [5, 10], spanSeconds: 3600 }).events);
    const big = 32 * 2 ** 20;
    const picked = await readerWorkerFiles([cap, log], [big, big], { workers: 'auto' });
    const cores = availableParallelism();
    if (cores >= 2 && cores < 4) expect(picked && [...picked]).toEqual([cap]);
    else expect(picked).toBeUndefined();
    // small inputs, Zeek logs alone, a number of workers or onLabel: never
    expect(await readerWorkerFiles([cap], [1024], { workers: 'auto' })).toBeUndefined();
    expect(await readerWorkerFiles([log], [big], { workers: 'auto' })).toBeUndefined();
    expect(await readerWorkerFiles([cap], [big], { workers: 0 })).toBeUndefined();
    expect(await readerWorkerFiles([cap], [big], { onLabel: () => undefined })).toBeUndefined();
  });

  it('a capture read by a worker thread, straight into columns, gives what one thread gives', async () => {
    const path = join(dir, 'few-flows.pcap');
    writeFileSync(path, udpCapture(12, 400));
    const realCapture = join(datasets, 'linuxips-test-cc/test-cc-capture-1.pcap');
    for (const file of existsSync(realCapture) ? [path, realCapture] : [path]) {
      const one = await run(file, { workers: 0, detector: { minConnections: 3 } });
      const viaWorker = await run(file, { workers: 1, detector: { minConnections: 3 } });
      expect(one.r.scored.length).toBeGreaterThan(0);
      expect(viaWorker.r.scored.map((d) => JSON.stringify(d))).toEqual(one.r.scored.map((d) => JSON.stringify(d)));
      expect(viaWorker.r.files).toEqual(one.r.files);
      expect(viaWorker.problems).toEqual(one.problems);
    }
  });
});
