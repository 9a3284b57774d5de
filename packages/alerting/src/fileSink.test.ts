import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { createAlert } from './createAlert.js';
import { FileSink } from './fileSink.js';
import { beaconItem } from './internal/fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'beacon-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const alert = (i: number): Alert => createAlert(beaconItem({ pair_key: `pair-${i}` }), { now: () => 1_735_689_600_000 + i * 1000 });
const ids = (file: string): string[] =>
  readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Alert).details.pair_key);

describe('FileSink', () => {
  it('creates the directory and appends JSON lines', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'alerts.json');
    const sink = new FileSink({ path: file });
    await Promise.all([sink.send(alert(1)), sink.send(alert(2)), sink.send(alert(3))]);
    await sink.close();
    expect(ids(file)).toEqual(['pair-1', 'pair-2', 'pair-3']);
    const first = JSON.parse(readFileSync(file, 'utf8').split('\n')[0] ?? '') as Alert;
    expect(first).toEqual(alert(1));
  });

  it('rotates by size keeping backupCount files, newest in .1', async () => {
    const file = path.join(dir, 'alerts.json');
    const lineBytes = Buffer.byteLength(`${JSON.stringify(alert(0))}\n`);
    // room for exactly two lines per file
    const sink = new FileSink({ path: file, maxSizeBytes: lineBytes * 2 + 10, backupCount: 3 });
    for (let i = 0; i < 10; i += 1) await sink.send(alert(i));
    await sink.close();
    expect(readdirSync(dir).sort()).toEqual(['alerts.json', 'alerts.json.1', 'alerts.json.2', 'alerts.json.3']);
    expect(ids(file)).toEqual(['pair-8', 'pair-9']);
    expect(ids(`${file}.1`)).toEqual(['pair-6', 'pair-7']);
    expect(ids(`${file}.2`)).toEqual(['pair-4', 'pair-5']);
    expect(ids(`${file}.3`)).toEqual(['pair-2', 'pair-3']);
  });

  it('counts an existing file towards the size limit', async () => {
    const file = path.join(dir, 'alerts.json');
    writeFileSync(file, 'x'.repeat(100) + '\n');
    const sink = new FileSink({ path: file, maxSizeBytes: 150, backupCount: 1 });
    await sink.send(alert(1));
    await sink.close();
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('x'.repeat(100) + '\n');
    expect(ids(file)).toEqual(['pair-1']);
  });

  it('truncates when backupCount is 0', async () => {
    const file = path.join(dir, 'alerts.json');
    const sink = new FileSink({ path: file, maxSizeBytes: 10, backupCount: 0 });
    for (let i = 0; i < 3; i += 1) await sink.send(alert(i));
    await sink.close();
    expect(readdirSync(dir)).toEqual(['alerts.json']);
    expect(ids(file)).toEqual(['pair-2']);
  });

  it('rejects (does not swallow) a failed write, then recovers', async () => {
    const blocker = path.join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const bad = new FileSink({ path: path.join(blocker, 'alerts.json') });
    await expect(bad.send(alert(1))).rejects.toMatchObject({ code: 'DELIVERY_FAILED', sink: 'file' });
    await expect(bad.send(alert(2))).rejects.toMatchObject({ code: 'DELIVERY_FAILED' });
    rmSync(blocker);
    await bad.send(alert(3));
    expect(ids(path.join(blocker, 'alerts.json'))).toEqual(['pair-3']);
    await bad.close();
    await expect(bad.send(alert(4))).rejects.toMatchObject({ code: 'SINK_CLOSED' });
  });

  it('rejects bad options by name', () => {
    expect(() => new FileSink({ path: '' })).toThrow(/path must be a non-empty string/);
    expect(() => new FileSink({ path: 'a', maxSizeBytes: -1 })).toThrow(/maxSizeBytes must be an integer >= 0/);
    expect(() => new FileSink({ path: 'a', backupCount: 1.5 })).toThrow(/backupCount/);
  });
});
