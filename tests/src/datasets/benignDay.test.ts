import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { datasets, findPair, missingDatasets, type AnalyzeItem } from './datasets.js';

const allowlist = join(repoRoot, 'examples', 'benign-day-allowlist', 'config.yaml');

describe.skipIf(missingDatasets !== undefined)('the benign day (CTU-Normal-40)', () => {
  let plain: AnalyzeItem[];
  let allowed: AnalyzeItem[];
  beforeAll(async () => {
    const [a, b] = await Promise.all([runCli(['analyze', datasets.benignDay, '--json', '--all']), runCli(['analyze', datasets.benignDay, '--json', '--all', '-c', allowlist])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    plain = JSON.parse(a.stdout) as AnalyzeItem[];
    allowed = JSON.parse(b.stdout) as AnalyzeItem[];
  }, 60_000);

  it('reports the antivirus channel (~301.6 s) and the telemetry pair (~900 s) as periodic', () => {
    const av = findPair(plain, '147.32.81.167', '91.228.167.171', 8883);
    expect(av?.is_beacon).toBe(true);
    expect(av?.periodicity_score).toBeGreaterThanOrEqual(0.9);
    expect(av?.interval).toBeGreaterThan(295);
    expect(av?.interval).toBeLessThan(310);
    const telemetry = findPair(plain, '147.32.81.167', '51.104.162.168', 443);
    expect(telemetry?.is_beacon).toBe(true);
    expect(telemetry?.periodicity_score).toBeGreaterThanOrEqual(0.9);
    expect(telemetry?.interval).toBeGreaterThan(850);
    expect(telemetry?.interval).toBeLessThan(950);
  });

  it('no inbound pair is a beacon: the telnet scanners are listed as inbound with a reason', () => {
    const inbound = plain.filter((i) => i.direction === 'inbound');
    expect(inbound.length).toBeGreaterThan(0);
    for (const i of inbound) {
      expect(i.is_beacon).toBe(false);
      expect(i.dst_ip).toBe('147.32.81.167'); // Zeek's local_resp: the watched host
    }
    const scanner = findPair(plain, '45.140.140.75', '147.32.81.167', 23);
    expect(scanner?.direction).toBe('inbound');
    expect(scanner?.reason === 'inbound' || scanner?.reason === 'score below alert_threshold').toBe(true);
    expect(findPair(plain, '147.32.81.167', '91.228.167.171', 8883)?.direction).toBe('outbound');
  });

  it('flags nothing once the example allowlist is applied', () => {
    expect(plain.filter((i) => i.is_beacon).length).toBeGreaterThan(5);
    expect(allowed.filter((i) => i.is_beacon && i.benign_label === null)).toEqual([]);
    expect(findPair(allowed, '147.32.81.167', '91.228.167.171', 8883)).toBeUndefined();
  });
});
