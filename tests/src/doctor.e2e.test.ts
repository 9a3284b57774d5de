import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSkipReason } from '../../packages/bpf-probe/src/internal/testing/harness.js';
import { createTestNet, type TestNet } from '../../packages/bpf-probe/src/internal/testing/netns.js';
import { cliArgs, repoRoot, runCli, startServer, type ServerProcess } from './helpers/cli.js';

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const skip = liveSkipReason();

// `beacon doctor` against the real kernel, a veth the test made and a real `beacon server`.
describe.skipIf(skip !== undefined)('beacon doctor (root)', { timeout: 120_000 }, () => {
  let dir: string;
  let server: ServerProcess;
  let net: TestNet;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-doctor-'));
    const config = join(dir, 'config.yaml');
    await writeFile(config, ['control_plane: { listen_address: 127.0.0.1, listen_port: 0, api_key: doctor-key }', 'persistence: { enabled: false }', 'logging: { level: warning }'].join('\n'));
    server = await startServer(['-c', config]);
    net = createTestNet();
  });
  afterAll(async () => {
    net?.destroy();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 when collect would work: every check ok, a real attach on the veth', async () => {
    const run = await runCli(['--port', String(server.port), '--token', 'doctor-key', 'doctor', '-i', net.host, '--json']);
    const out = JSON.parse(run.stdout) as { ok: boolean; checks: { id: string; status: string; detail: string }[] };
    expect(out.checks.filter((c) => c.status !== 'ok'), run.stdout).toEqual([]);
    expect(out.checks.map((c) => c.id)).toEqual(['kernel', 'btf', 'privileges', 'libbpf', 'addon', 'interface', 'attach', 'control-plane']);
    expect(out.ok).toBe(true);
    expect(run.code).toBe(0);
  });

  it('exits 1 and says how to fix a wrong token, a dead control plane, a missing interface', async () => {
    const token = await runCli(['--port', String(server.port), '--token', 'wrong', 'doctor', '-i', net.host, '--no-attach']);
    expect(token.code).toBe(1);
    expect(token.stdout).toMatch(/MISSING {2}control-plane .*refused the token \(401\)/);
    expect(token.stdout).toContain('fix: set --token');
    const dead = await runCli(['--port', String(await closedPort()), 'doctor', '-i', net.host, '--no-attach']);
    expect(dead.code).toBe(1);
    expect(dead.stdout).toMatch(/MISSING {2}control-plane .*unreachable \(ECONNREFUSED\)/);
    const noIf = await runCli(['--port', String(server.port), '--token', 'doctor-key', 'doctor', '-i', 'nosuch-if0']);
    expect(noIf.code).toBe(1);
    expect(noIf.stdout).toMatch(/MISSING {2}interface +no interface named nosuch-if0/);
    expect(noIf.stdout).toMatch(/skipped {2}attach/);
  });

  it('as an unprivileged user: names the missing capabilities and exits 1', () => {
    let out = '';
    let code = 0;
    try {
      out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp', 'NO_COLOR=1', process.execPath, ...cliArgs(['--port', String(server.port), 'doctor', '-i', net.host])], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    } catch (error) {
      const e = error as { status: number; stdout: string };
      code = e.status;
      out = e.stdout;
    }
    expect(code).toBe(1);
    expect(out).toMatch(/MISSING {2}privileges +no capabilities: lacks CAP_BPF and CAP_NET_ADMIN/);
    expect(out).toContain('setcap cap_bpf,cap_net_admin');
  });
});
if (skip) describe.skip(`beacon doctor: ${skip}`, () => {});
