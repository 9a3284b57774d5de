import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '@beacon/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli, startServer, type ServerProcess } from '../helpers/cli.js';
import { NATS_SKIP_REASON, startTestNats, type TestNats } from '../helpers/nats.js';

// There is no container engine here: the Dockerfile and compose.yaml are checked as files,
// and the compose services' commands are run as plain processes against a real nats-server.

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerfile(): Instruction[] {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s+(.*)$/.exec(l)!;
      return { op: m[1]!.toUpperCase(), args: m[2]! };
    });
}

/** Problems with `beacon <args>`: the command must exist and every flag must be one of its (or a global) option. */
async function commandProblems(args: readonly string[]): Promise<string[]> {
  const program = await buildProgram();
  const [name, ...rest] = args;
  const cmd = program.commands.find((c) => c.name() === name);
  if (!cmd) return [`no command "${name}"`];
  const known = new Set([...cmd.options, ...program.options].flatMap((o) => [o.long, o.short]).filter(Boolean));
  return rest.filter((a) => a.startsWith('-') && !known.has(a.split('=')[0]!)).map((a) => `beacon ${name} has no option ${a}`);
}

interface Service {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  volumes?: string[];
}

const compose = (): { services: Record<string, Service> } => parse(readFileSync(join(repoRoot, 'compose.yaml'), 'utf8')) as { services: Record<string, Service> };

describe('container files', { timeout: 120_000 }, () => {
  it('Dockerfile: stages, COPY sources that exist, a non-root control plane with a health check', async () => {
    const ins = dockerfile();
    const stages = ins.filter((i) => i.op === 'FROM').map((i) => /AS\s+(\S+)/i.exec(i.args)?.[1]).filter(Boolean);
    expect(stages).toEqual(['build', 'control-plane', 'data-plane']);
    for (const c of ins.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const parts = c.args.split(/\s+/);
      for (const src of parts.slice(0, -1)) expect(existsSync(join(repoRoot, src)), `COPY source ${src}`).toBe(true);
    }
    for (const c of ins.filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build'))) {
      const src = c.args.split(/\s+/)[1]!.replace(/^\/src\//, '');
      expect(existsSync(join(repoRoot, src)), `COPY --from=build source ${src}`).toBe(true);
    }
    // The control-plane stage: from its FROM to the next one.
    const from = ins.findIndex((i) => i.op === 'FROM' && /AS control-plane/i.test(i.args));
    const to = ins.findIndex((i, k) => k > from && i.op === 'FROM');
    const stage = ins.slice(from, to);
    expect(stage.find((i) => i.op === 'USER')?.args).toBe('beacon');
    expect(stage.find((i) => i.op === 'HEALTHCHECK')?.args).toContain('/api/v1/health');
    for (const i of ins.filter((x) => x.op === 'ENTRYPOINT')) expect(JSON.parse(i.args)).toEqual(['node', '/app/packages/cli/dist/bin.js']);
    expect(JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')).bin.beacon).toBe('./dist/bin.js');
    for (const i of ins.filter((x) => x.op === 'CMD' && x.args.startsWith('['))) expect(await commandProblems(JSON.parse(i.args) as string[])).toEqual([]);
    expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toContain('--privileged --network=host');
  });

  it('compose.yaml: nats, two shards and the simulator, each a real beacon command', async () => {
    const { services } = compose();
    expect(Object.keys(services).sort()).toEqual(['data-plane-sim', 'nats', 'shard-1', 'shard-2']);
    for (const [name, s] of Object.entries(services)) {
      if (name === 'nats') continue;
      expect(s.build?.target, name).toBe('control-plane');
      expect(await commandProblems(s.command!), name).toEqual([]);
      for (const v of s.volumes ?? []) if (v.startsWith('./')) expect(existsSync(join(repoRoot, v.split(':')[0]!)), v).toBe(true);
    }
    expect(services.nats!.command).toContain('-js');
  });
});

describe.skipIf(NATS_SKIP_REASON !== null)(`the compose services as processes${NATS_SKIP_REASON ? ` (skipped: ${NATS_SKIP_REASON})` : ''}`, { timeout: 120_000 }, () => {
  let nats: TestNats | undefined;
  let dir: string | undefined;
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await nats?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('two shards and the simulator find the planted beacons, listed by either shard', async () => {
    nats = await startTestNats();
    dir = await mkdtemp(join(tmpdir(), 'cluster-compose-'));
    const { services } = compose();
    const base = parse(readFileSync(join(repoRoot, 'deploy/compose/beacon.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    const key = base.control_plane!.api_key as string;
    // What differs from the containers: loopback, a free port, a database per process.
    const local = (args: string[], i: number): string[] =>
      args.map((a) => (a === 'nats://nats:4222' ? nats!.url : a === '/etc/beacon/beacon.yaml' ? join(dir!, `shard${i}.yaml`) : a));
    for (const i of [1, 2]) {
      const cfg = { ...base, control_plane: { ...base.control_plane, listen_address: '127.0.0.1', listen_port: 0 }, persistence: { db_path: join(dir, `shard${i}.db`) } };
      await writeFile(join(dir, `shard${i}.yaml`), JSON.stringify(cfg));
    }
    const [s1, s2] = await Promise.all([1, 2].map((i) => startServer(local(services[`shard-${i}`]!.command!, i).slice(1))));
    servers.push(s1!, s2!);

    // The simulator's own command, with a shorter run: 30 simulated minutes at 1800x.
    const sim = local(services['data-plane-sim']!.command!, 0).map((a, k, all) => (all[k - 1] === '--duration' ? '1800' : all[k - 1] === '--speed' ? '1800' : a));
    const run = await runCli([...sim, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { events: number; beacons: string[] };

    const auth = { 'x-api-key': key };
    const status = async (): Promise<{ events_received: number }> => (await (await fetch(`${s1!.url}/api/v1/status`, { headers: auth })).json()) as never;
    for (let t = 0; (await status()).events_received < summary.events && t < 200; t++) await new Promise((r) => setTimeout(r, 50));
    expect((await status()).events_received).toBe(summary.events);
    expect((await fetch(`${s2!.url}/api/v1/analyze`, { method: 'POST', headers: auth })).status).toBe(200);
    for (const s of [s1!, s2!]) {
      const listed = ((await (await fetch(`${s.url}/api/v1/beacons`, { headers: auth })).json()) as { beacons: { pair_key: string }[] }).beacons.map((b) => b.pair_key);
      for (const planted of summary.beacons) expect(listed.some((k) => k.startsWith(planted)), `${planted} listed by ${s.url}`).toBe(true);
    }
  });
});
