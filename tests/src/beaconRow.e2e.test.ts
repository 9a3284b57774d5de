import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { huntFiles, toBeaconRow } from '@beacon/hunt';
import { synthTraffic, writeConnLog } from '../../packages/hunt/src/internal/testing/synthTraffic.js';
import { expectBeaconRows } from './helpers/beaconRowContract.js';
import { runCli } from './helpers/cli.js';

// The same schema test runs on `beacon agent --json` in dataplane/agent.e2e.test.ts (root only).
describe('the beacon row: one schema for analyze --json and the hunt library', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-row-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'conn.log');
  writeConnLog(log, synthTraffic({ seed: 2, pairsPerProfile: 2, events: [20, 60], spanSeconds: 6 * 3600 }).events);

  it('beacon analyze --json prints exactly the rows huntFiles gives, valid against the schema', async () => {
    const cli = await runCli(['analyze', log, '--json', '--all']);
    expect(cli.code, cli.stderr).toBe(0);
    const printed = expectBeaconRows(JSON.parse(cli.stdout) as unknown[], 'analyze --json');
    expect(printed.filter((r) => r.is_beacon).length).toBeGreaterThan(5);
    const { scored } = await huntFiles([log]);
    const rows = expectBeaconRows(scored.map(toBeaconRow), 'toBeaconRow');
    expect(printed).toEqual(JSON.parse(JSON.stringify(rows)));
  });
});
