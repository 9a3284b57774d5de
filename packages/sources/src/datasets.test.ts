import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairKey, type ConnectionEvent } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { openSource } from './openSource.js';
import { readPcap } from './readPcap.js';
import { readZeekConnLog, type ZeekLabel } from './readZeekConnLog.js';
import { collect } from './internal/testing/collect.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const datasets = resolve(repoRoot, '../shared/datasets');
const NJRAT = resolve(datasets, 'stratosphere-001-njrat/labeled-conn.log');
const BENIGN = resolve(datasets, 'stratosphere-008-benign-day/conn.log.labeled');
const CC = resolve(datasets, 'linuxips-test-cc/test-cc-capture-1.pcap');
const missing = (p: string): string | false => (existsSync(p) ? false : `dataset absent: ${p}`);

const key = (e: ConnectionEvent): string => pairKey(e.srcIp, e.dstIp, e.dstPort, e.protocol);

describe('real datasets', () => {
  it.skipIf(missing(NJRAT))('NjRAT conn.log: the 237 C2 reconnects, labelled Malicious/CC', async () => {
    const labels = new Map<ConnectionEvent, ZeekLabel>();
    const source = readZeekConnLog(NJRAT, { onLabel: (e, l) => labels.set(e, l) });
    const events = await collect(source);
    // 1,000 lines = 8 header lines + 992 rows, none garbled.
    expect(source.stats).toMatchObject({ records: 992, events: 992, problems: { garbled_line: 0 } });
    const c2 = events.filter((e) => key(e) === '192.168.1.115->41.108.179.197:1177/TCP');
    expect(c2).toHaveLength(237);
    // A reconnect loop: rejected/unanswered SYNs carrying no payload.
    expect(c2.every((e) => e.bytes === 0 && (e.tcpFlags & 0x02) !== 0)).toBe(true);
    expect(c2.every((e) => labels.get(e)?.verdict === 'malicious' && labels.get(e)?.detailedLabel === 'CC')).toBe(true);
    const verdicts = [...labels.values()].map((l) => l.verdict);
    expect(verdicts.filter((v) => v === 'malicious')).toHaveLength(244);
    expect(verdicts.filter((v) => v === 'background')).toHaveLength(739);
    expect(events.some((e) => e.srcIp === 'fd2d:ab8c:225:0:81d3:fd3e:7f62:aec8')).toBe(true);
  });

  it.skipIf(missing(BENIGN))('benign day conn.log parses with no garbled rows', async () => {
    const source = await openSource(BENIGN);
    const events = await collect(source);
    expect(source.stats).toMatchObject({ format: 'zeek-tsv', records: 5663, events: 5663 });
    expect(source.stats.problems).toMatchObject({ garbled_line: 0, garbled_header: 0, truncated_record: 0 });
    // The antivirus beacon the dataset README names is there.
    expect(events.filter((e) => e.dstIp === '91.228.167.171' && e.dstPort === 8883).length).toBeGreaterThan(200);
  });

  it.skipIf(missing(CC))('test-cc pcap: one flow_start per curl connection to 141.193.213.21:443', async () => {
    const source = readPcap(CC);
    const events = await collect(source);
    const c2 = events.filter((e) => key(e) === '147.32.80.37->141.193.213.21:443/TCP');
    // The README counts 297 TCP connections. Each starts with a SYN and ends with the client's
    // FIN; the server's FIN and the last ACK fall on the closed flow's tombstone, so exactly one
    // start and one end per connection (with closedLingerSec 0 this would be 596 starts).
    const starts = c2.filter((e) => e.kind === 'flow_start');
    expect(starts).toHaveLength(297);
    expect(starts.every((e) => e.tcpFlags === 0x02)).toBe(true);
    expect(c2.filter((e) => e.kind === 'flow_end')).toHaveLength(297);
    expect(source.stats).toMatchObject({ records: 7931, problems: { truncated_record: 0, garbled_record: 0, malformed_packet: 0 } });
    const span = (starts.at(-1)?.tsSec ?? 0) - (starts[0]?.tsSec ?? 0);
    expect(span).toBeGreaterThan(600);
    expect(span).toBeLessThan(700);
  });
});
