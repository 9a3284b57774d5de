import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './helpers/cli.js';

// `beacon --version` answers without loading any command; help still lists them all.
describe('beacon --version and --help', { timeout: 60_000 }, () => {
  it('--version and -V print the package version and nothing else', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(version);
      expect(r.stderr).toBe('');
    }
  });

  it('--help lists every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['status', 'beacons', 'connections', 'long-conns', 'alerts', 'watch', 'config', 'simulate', 'server', 'demo', 'analyze', 'evaluate', 'collect', 'agent', 'doctor']) expect(r.stdout).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });
});
