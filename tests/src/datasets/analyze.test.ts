import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { datasets, findPair, missingDatasets, type AnalyzeItem } from './datasets.js';

const json = (r: CliResult): AnalyzeItem[] => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as AnalyzeItem[];
};

describe.skipIf(missingDatasets !== undefined)('beacon analyze on real captures', () => {
  let njrat: AnalyzeItem[];
  let testCc: AnalyzeItem[];
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-analyze-'));
    [njrat, testCc] = (await Promise.all([runCli(['analyze', datasets.njrat, '--json', '--all']), runCli(['analyze', datasets.testCc, '--json', '--all'])])).map(json) as [
      AnalyzeItem[],
      AnalyzeItem[],
    ];
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the NjRAT reconnect loop (S0 attempts) as a finding of kind reconnect (score >= 0.7, ~11.6 s)', () => {
    const c2 = findPair(njrat, '192.168.1.115', '41.108.179.197', 1177);
    expect(c2).toBeDefined();
    expect(c2?.is_beacon).toBe(true);
    expect(c2?.kind).toBe('reconnect');
    expect(c2?.direction).toBe('outbound');
    expect(c2?.reason).toBeNull();
    expect(c2?.score).toBeGreaterThanOrEqual(0.7);
    expect(c2?.protocol).toBe('TCP');
    expect(c2?.connection_count).toBe(237);
    expect(c2?.interval).toBeGreaterThan(9);
    expect(c2?.interval).toBeLessThan(14);
  });

  it('finds the test-cc curl loop in the pcap as a beacon (~2.2 s)', () => {
    const c2 = findPair(testCc, '147.32.80.37', '141.193.213.21', 443);
    expect(c2?.is_beacon).toBe(true);
    expect(c2?.kind).toBe('beacon');
    expect(c2?.score).toBeGreaterThanOrEqual(0.7);
    expect(c2?.connection_count).toBeGreaterThanOrEqual(290);
    expect(c2?.interval).toBeGreaterThan(1.8);
    expect(c2?.interval).toBeLessThan(2.6);
  });

  it('lists every scored pair with --all, each with every documented field and type', () => {
    expect(njrat.length).toBeGreaterThan(njrat.filter((i) => i.is_beacon).length);
    const types: Record<keyof AnalyzeItem, string> = {
      src_ip: 'string', dst_ip: 'string', dst_port: 'number', protocol: 'string', score: 'number', severity: 'string', is_beacon: 'boolean',
      benign_label: 'string', connection_count: 'number', interval: 'number', cv_score: 'number', periodicity_score: 'number',
      jitter_score: 'number', size_score: 'number', first_seen: 'string', last_seen: 'string', direction: 'string', kind: 'string', reason: 'string',
    };
    for (const item of [...njrat, ...testCc]) {
      // a row that is not a finding says why; a finding has no reason
      expect(item.is_beacon).toBe(item.reason === null);
      expect(['outbound', 'internal', 'inbound', 'external']).toContain(item.direction);
      expect(['beacon', 'reconnect', 'periodic']).toContain(item.kind);
      for (const [key, type] of Object.entries(types)) {
        const v = item[key as keyof AnalyzeItem];
        // null where documented: no benign baseline matched, or no period was found.
        if (v === null) expect(['benign_label', 'interval', 'reason']).toContain(key);
        else expect(typeof v, `${key} of ${item.src_ip}->${item.dst_ip}`).toBe(type);
      }
      expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']).toContain(item.severity);
      expect(item.score).toBeGreaterThanOrEqual(0);
      expect(item.score).toBeLessThanOrEqual(1);
      expect(Number.isNaN(Date.parse(item.first_seen))).toBe(false);
    }
    const scores = njrat.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('honours --min-score and --limit, and prints the CSV header', async () => {
    const r = await runCli(['analyze', datasets.njrat, '--csv', '--all', '--min-score', '0.9', '--limit', '3']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Score,Severity,Source_IP,Dest_IP,Dest_Port,Protocol,Connections,Interval,Is_Beacon,CV_Score,Periodicity_Score,Jitter_Score,Size_Score,Direction,Kind,Reason');
    expect(lines).toHaveLength(4);
    for (const l of lines.slice(1)) expect(Number(l.split(',')[0])).toBeGreaterThanOrEqual(0.9);
  });

  it('reads a gzipped log, and reports a garbled line by number while analysing the rest', async () => {
    const text = await readFile(datasets.njrat, 'utf8');
    const lines = text.split('\n');
    lines.splice(99, 0, 'garbage\tline');
    await writeFile(join(dir, 'conn.log.gz'), gzipSync(text));
    await writeFile(join(dir, 'garbled.log'), lines.join('\n'));
    const [gz, garbled] = await Promise.all([runCli(['analyze', join(dir, 'conn.log.gz'), '--json']), runCli(['analyze', join(dir, 'garbled.log'), '--json'])]);
    expect(gz.stderr).toContain('(gzip)');
    expect(findPair(json(gz), '192.168.1.115', '41.108.179.197', 1177)?.is_beacon).toBe(true);
    expect(garbled.stderr).toMatch(/garbled\.log:100: garbled_line: expected 23 columns, found 2/);
    expect(garbled.stderr).toContain('1 problems');
    expect(findPair(json(garbled), '192.168.1.115', '41.108.179.197', 1177)?.is_beacon).toBe(true);
  });

  it('rejects a wrong or unknown --format with a clear error', async () => {
    const [asPcap, bogus] = await Promise.all([runCli(['analyze', datasets.njrat, '--format', 'pcap']), runCli(['analyze', datasets.njrat, '--format', 'xml'])]);
    expect(asPcap.code).toBe(1);
    expect(asPcap.stderr).toMatch(/labeled-conn\.log: not a pcap or pcapng file/);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toContain('--format must be auto, zeek, pcap or eve, got "xml"');
  });

  it('--alert sends an alert per beacon found through the configured sinks: a file and a real syslog listener on loopback', async () => {
    const syslog = createSocket('udp4');
    const received: string[] = [];
    syslog.on('message', (m) => received.push(m.toString('utf8')));
    await new Promise<void>((resolve) => syslog.bind(0, '127.0.0.1', resolve));
    try {
      const alertsFile = join(dir, 'hunt-alerts.json');
      const config = join(dir, 'alerting.yaml');
      await writeFile(
        config,
        [
          'alerting:',
          `  syslog: { enabled: true, protocol: udp, host: 127.0.0.1, port: ${syslog.address().port}, level: info }`,
          `  file: { enabled: true, path: ${JSON.stringify(alertsFile)} }`,
        ].join('\n'),
      );
      const [r, rows] = await Promise.all([runCli(['analyze', datasets.njrat, '-c', config, '--alert']), runCli(['analyze', datasets.njrat, '--json'])]);
      expect(r.code, r.stderr).toBe(0);
      const count = Number(/(\d+) alerts? sent to the alert sinks/.exec(r.stderr)?.[1]);
      const alerts = (await readFile(alertsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { details: { pair_key: string; src_ip: string; dst_ip: string; dst_port: number }; timestamp: string });
      expect(count).toBeGreaterThan(0);
      expect(alerts).toHaveLength(count);
      // the NjRAT loop is among them; every alert is a beacon of the plain hunt (not of the benign baseline)
      const beacons = json(rows).filter((i) => i.is_beacon && i.benign_label === null);
      expect(alerts.some((a) => a.details.src_ip === '192.168.1.115' && a.details.dst_ip === '41.108.179.197' && a.details.dst_port === 1177)).toBe(true);
      for (const a of alerts) expect(beacons.some((b) => b.src_ip === a.details.src_ip && b.dst_ip === a.details.dst_ip && b.dst_port === a.details.dst_port)).toBe(true);
      // alert times follow the data (the capture's clock), not the wall clock
      for (const a of alerts) expect(Date.parse(a.timestamp)).toBeLessThan(Date.parse('2001-01-01T00:00:00Z'));
      for (let i = 0; i < 50 && received.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received).toHaveLength(count);
      expect(received.filter((m) => m.includes('41.108.179.197'))).toHaveLength(1);
    } finally {
      syslog.close();
    }
  });
});
