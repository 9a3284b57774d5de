import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';
import { canUseNetns, createTestNet, type TestNet } from '../../packages/bpf-probe/src/internal/testing/netns.js';
import { sendUdp } from '../../packages/bpf-probe/src/internal/testing/traffic.js';

const run = promisify(execFile);
const PACKAGES = ['scoring', 'synth', 'detector', 'alerting', 'config', 'sources', 'dashboard', 'server', 'store-sqlite', 'bpf-probe', 'hunt', 'cluster', 'agent', 'cli'];
const built = PACKAGES.every((p) => existsSync(join(repoRoot, 'packages', p, 'dist', 'index.js')));

// What a user gets from `npx @beacon/cli`: the packed tarballs installed in an empty directory.
describe.skipIf(!built)('packed packages', () => {
  let dir: string | undefined;
  let net: TestNet | undefined;
  afterAll(async () => {
    net?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('install from tarballs in a clean directory and the packed beacon runs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-pack-'));
    const tarballs = join(dir, 'tarballs');
    for (const p of PACKAGES) {
      await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(repoRoot, 'packages', p), env: { ...process.env, COREPACK_INTEGRITY_KEYS: '0' } });
    }
    const files = (await readdir(tarballs)).filter((f) => f.endsWith('.tgz'));
    expect(files).toHaveLength(PACKAGES.length);
    const app = join(dir, 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'beacon-user', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files.map((f) => join(tarballs, f))], { cwd: app, timeout: 600_000 });

    const version = await run('npx', ['--no-install', 'beacon', '--version'], { cwd: app });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

    const demo = await run('npx', ['--no-install', 'beacon', 'demo', '--duration', '3600', '--speed', '2000', '--noise', '6', '--json'], { cwd: app, timeout: 120_000 });
    const result = JSON.parse(demo.stdout) as { ok: boolean; found: number; noise_flagged: number };
    expect(result).toMatchObject({ ok: true, found: 3, noise_flagged: 0 });

    // The dashboard's built assets travel in the package (the server serves them, analyze --html inlines them).
    await writeFile(join(app, 'assets.mjs'), "import { dashboardAssets } from '@beacon/dashboard';\nconsole.log(dashboardAssets().files.size);\n");
    expect(Number((await run('node', ['assets.mjs'], { cwd: app })).stdout)).toBeGreaterThanOrEqual(2);

    // The scoring package works on its own, as another tool would import it.
    await writeFile(join(app, 'score.mjs'), "import { scorePair } from '@beacon/scoring';\nconst r = scorePair(Array.from({ length: 30 }, () => 60), Array.from({ length: 31 }, () => 200));\nconsole.log(JSON.stringify({ score: r.score, period: r.periodSeconds }));\n");
    const score = JSON.parse((await run('node', ['score.mjs'], { cwd: app })).stdout) as { score: number; period: number };
    expect(score.score).toBeGreaterThan(0.9);
    expect(score.period).toBeCloseTo(60, 0);

    // The probe installed from npm: the compiled BPF object and the prebuilt addon came in the
    // tarball, and the install used the prebuilt addon (nothing was compiled).
    const probeDir = join(app, 'node_modules', '@beacon', 'bpf-probe');
    expect(existsSync(join(probeDir, 'build', 'bpf', 'probe.bpf.o'))).toBe(true);
    expect(existsSync(join(probeDir, 'prebuilds', `linux-${process.arch}`, 'node.napi.glibc.node'))).toBe(true);
    expect(existsSync(join(probeDir, 'native', 'build'))).toBe(false);
    // libbpf is linked into each prebuilt addon (a machine without libbpf1 loads it); each is an
    // ELF for its architecture (e_machine 62 x86-64, 183 AArch64).
    const prebuilt = await readdir(join(probeDir, 'prebuilds'));
    expect(prebuilt).toContain(`linux-${process.arch}`);
    for (const platform of prebuilt) {
      const file = join(probeDir, 'prebuilds', platform, 'node.napi.glibc.node');
      const dynamic = (await run('readelf', ['-d', file])).stdout;
      expect(dynamic, platform).toMatch(/\(NEEDED\).*libc\.so/);
      expect(dynamic, platform).not.toMatch(/\(NEEDED\).*libbpf/);
      expect((await readFile(file)).readUInt16LE(18), platform).toBe(platform === 'linux-arm64' ? 183 : 62);
    }
    if (!canUseNetns()) {
      console.warn('packed probe on a veth skipped: needs root and iproute2 (CI runs it)');
      return;
    }
    // As root: open a probe from that install on a veth this test made, and see traffic.
    net = createTestNet();
    await writeFile(join(app, 'probe.mjs'), [
      "import { openProbe } from '@beacon/bpf-probe';",
      'const probe = await openProbe({ interface: process.argv[2], handleSignals: false, log: () => {} });',
      "console.log(JSON.stringify({ ready: true, mode: probe.attachMode }));",
      'const seen = [];',
      "probe.on('event', (e) => { if (e.dstPort === 9999) seen.push(e); });",
      'const until = Date.now() + 15000;',
      'while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));',
      'await probe.close();',
      'console.log(JSON.stringify({ events: seen.length, first: seen[0] }));',
    ].join('\n'));
    const child = spawn(process.execPath, ['probe.mjs', net.host], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const until = Date.now() + 30_000;
    while (!out.includes('"ready"') && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(out, err).toContain('"ready":true');
    await sendUdp(net, net.hostV4, 9999, 3, 100, 50);
    expect(await exited, err).toBe(0);
    const probed = JSON.parse(out.trim().split('\n').pop() as string) as { events: number; first: { srcIp: string; dstIp: string; protocol: number } };
    expect(probed.events).toBeGreaterThan(0);
    expect(probed.first).toMatchObject({ srcIp: net.peerV4, dstIp: net.hostV4, protocol: 17 });
  }, 900_000);
});

if (!built) console.warn('packed packages test skipped: run `pnpm build` first (CI builds before testing)');
