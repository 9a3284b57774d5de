import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectorWithBeacon, fullDelta } from './internal/fixtures.testutil.js';
import { SqliteStore } from './sqliteStore.js';
import { isStoreError } from './storeError.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'beacon-store-hostile-'));
  file = join(dir, 'beacon.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore against hostile state (issue 17)', () => {
  it('defect 2: a stored pair with an impossible time or duration is skipped and counted at load', async () => {
    const store = new SqliteStore({ path: file });
    await store.save(fullDelta(detectorWithBeacon(2).exportState()));
    await store.close();
    // what an older version wrote after one `flow_end` with duration_seconds 1e18
    const db = new Database(file);
    db.prepare('UPDATE pairs SET first_seen = ?, max_flow_sec = ? WHERE rowid = (SELECT min(rowid) FROM pairs)').run(-1e18, 1e18);
    db.prepare('UPDATE pairs SET last_seen = ? WHERE rowid = (SELECT max(rowid) FROM pairs)').run(1e300);
    db.close();
    const again = new SqliteStore({ path: file });
    const state = await again.load();
    expect(again.lastLoad?.skipped.pairs).toBe(2);
    expect(state?.pairs).toHaveLength(1);
    await again.close();
  });

  it('defect 8: a second store on the same file refuses to open and names the holder', async () => {
    const first = new SqliteStore({ path: file });
    let error: unknown;
    try {
      new SqliteStore({ path: file });
    } catch (e) {
      error = e;
    }
    expect(isStoreError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('LOCKED');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    await first.close();
    // released by close: the next one opens
    const next = new SqliteStore({ path: file });
    await next.close();
  });

  it('defect 8: another process cannot open the file while it is held; a killed holder leaves no stale lock', async () => {
    const first = new SqliteStore({ path: file });
    const script = `
      import { SqliteStore } from '@beacon/store-sqlite';
      try { const s = new SqliteStore({ path: process.argv[1] }); await s.close(); console.log('opened'); }
      catch (e) { console.log(e.code + ' ' + e.message); }`;
    const run = () =>
      spawnSync(process.execPath, ['--conditions=@beacon/source', '--import', 'tsx', '--input-type=module', '-e', script, file], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
    const blocked = run();
    expect(blocked.stdout).toMatch(/^LOCKED .*in use by another Beacon process \(pid \d+/);
    await first.close();
    // A holder killed with SIGKILL: the kernel drops its lock with the process.
    const killed = spawnSync(
      process.execPath,
      ['--conditions=@beacon/source', '--import', 'tsx', '--input-type=module', '-e', `import { SqliteStore } from '@beacon/store-sqlite'; new SqliteStore({ path: process.argv[1] }); process.kill(process.pid, 'SIGKILL');`, file],
      { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' },
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(run().stdout.trim()).toBe('opened');
  }, 120_000); // three Node processes with tsx: slow on a loaded machine
});
