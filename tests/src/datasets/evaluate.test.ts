import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { datasets, missingDatasets } from './datasets.js';

interface Report {
  truth_source: string;
  truth_pairs: number;
  metrics: { tp: number; fp: number; tn: number; fn: number; precision: number | null; recall: number | null; roc_auc: number | null; notes: string[] };
  pairs: { pair: string; truth: boolean; score: number | null; verdict: string }[];
}

describe.skipIf(missingDatasets !== undefined)('beacon evaluate on real captures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-evaluate-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes NjRAT truth from the label column and scores its C2 pair as a true positive', async () => {
    const r = await runCli(['evaluate', datasets.njrat, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.truth_source).toBe('label_column');
    const c2 = report.pairs.find((p) => p.pair === '192.168.1.115->41.108.179.197:1177/TCP');
    expect(c2).toMatchObject({ truth: true, verdict: 'TP' });
    expect(report.metrics.tp).toBe(1);
    // The four other C&C-labelled pairs have 1-2 connections: never scored, counted as misses.
    expect(report.metrics.fn).toBe(4);
    expect(report.pairs.filter((p) => p.verdict === 'FN').every((p) => p.score === null)).toBe(true);
  });

  it('scores the test-cc pcap against a truth file, writes metrics JSON, and passes --strict', async () => {
    const out = join(dir, 'metrics.json');
    const r = await runCli(['evaluate', datasets.testCc, '--truth', join(repoRoot, 'docs', 'truth', 'test-cc.yaml'), '--json', out, '--strict']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/precision 1\.000 {2}recall 1\.000 {2}F1 1\.000/);
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    expect(report.metrics).toMatchObject({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1, roc_auc: null });
    expect(report.metrics.notes.join(' ')).toMatch(/ROC-AUC undefined/);
  });

  it('fails --strict on the benign day without the allowlist, passes with it', async () => {
    const truth = join(repoRoot, 'docs', 'truth', 'benign-day.yaml');
    const [plain, allowed] = await Promise.all([
      runCli(['evaluate', datasets.benignDay, '--truth', truth, '--strict']),
      runCli(['evaluate', datasets.benignDay, '--truth', truth, '--strict', '-c', join(repoRoot, 'examples', 'benign-day-allowlist', 'config.yaml')]),
    ]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/--strict: 0 missed, \d+ false alarms/);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('FP 0');
  });

  it('replays an event file and names the bad field of a bad event', async () => {
    const events = Array.from({ length: 30 }, (_, i) => ({
      timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      src_ip: '10.0.0.5',
      dst_ip: '203.0.113.9',
      src_port: 40000 + i,
      dst_port: 443,
      protocol: 'TCP',
      packet_size: 310,
    }));
    const bad = { ...events[3], src_ip: 'not-an-ip' };
    const file = join(dir, 'events.yaml');
    await writeFile(file, `events:\n${[...events, bad].map((e) => `  - ${JSON.stringify(e)}`).join('\n')}\n`);
    await writeFile(join(dir, 'truth.yaml'), 'beacons:\n  - "10.0.0.5:203.0.113.9:443"\n');
    const r = await runCli(['evaluate', file, '--truth', join(dir, 'truth.yaml'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('events.yaml: events[30].src_ip: must be an IPv4 or IPv6 address');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.metrics).toMatchObject({ tp: 1, fn: 0 });
  });

  it('reports a YAML syntax error with its line, and a bad truth entry with its path', async () => {
    await writeFile(join(dir, 'broken.yaml'), 'events:\n  - {src_ip: 10.0.0.1\n  - x: [\n');
    await writeFile(join(dir, 'badtruth.yaml'), 'beacons:\n  - {src_ip: 10.0.0.1, dst_ip: 10.0.0.2, dst_port: 99999}\n');
    const [broken, badTruth] = await Promise.all([
      runCli(['evaluate', join(dir, 'broken.yaml'), '--truth', join(repoRoot, 'docs', 'truth', 'benign-day.yaml')]),
      runCli(['evaluate', datasets.testCc, '--truth', join(dir, 'badtruth.yaml')]),
    ]);
    expect(broken.code).toBe(1);
    expect(badTruth.code).toBe(1);
    expect(badTruth.stderr).toMatch(/badtruth\.yaml: beacons\[0\]\.dst_port: must be a port 0-65535, got 99999/);
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+: not valid YAML\/JSON/);
  });
});
