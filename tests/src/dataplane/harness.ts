/**
 * Helpers of the data-plane end-to-end tests: the skip reason, a network namespace with a veth
 * pair (10.201.N.1 on the host side, 10.201.N.2 inside), the CLI run from source, and TCP
 * clients run inside the namespace. Everything made here is removed by the returned cleanups,
 * and on process exit as a last resort.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Why the live data-plane tests cannot run here, or undefined when they can. */
export function liveSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'the data-plane tests need Linux';
  if (process.geteuid?.() !== 0) return 'the data-plane tests need root (eBPF and network namespaces)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'the data-plane tests need iproute2 (`ip`)';
  }
  if (!existsSync(resolve(ROOT, 'packages/bpf-probe/native/build/Release/beacon_probe.node')))
    return 'the data-plane tests need the native probe: pnpm --filter @beacon/bpf-probe build:native';
  return undefined;
}

/** A namespace with a veth pair. */
export interface TestNet {
  ns: string;
  /** veth end in the test's namespace (where the probe attaches). */
  host: string;
  hostIp: string;
  peerIp: string;
  destroy(): void;
}

const live = new Set<() => void>();
process.on('exit', () => {
  for (const destroy of live) destroy();
});

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Creates `beacon-dp-<id>` with veth `bd<id>h` (10.201.N.1/24) <-> `bd<id>p` (10.201.N.2/24, inside). */
export function createTestNet(): TestNet {
  const id = randomBytes(3).toString('hex');
  const n = randomInt(1, 250);
  const ns = `beacon-dp-${id}`;
  const host = `bd${id}h`;
  const destroy = (): void => {
    if (!live.delete(destroy)) return;
    for (const args of [['link', 'del', host], ['netns', 'del', ns]]) {
      try {
        ip(...args);
      } catch {
        // already gone
      }
    }
  };
  live.add(destroy);
  const net: TestNet = { ns, host, hostIp: `10.201.${n}.1`, peerIp: `10.201.${n}.2`, destroy };
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', host, 'type', 'veth', 'peer', 'name', `bd${id}p`);
    ip('link', 'set', `bd${id}p`, 'netns', ns);
    ip('addr', 'add', `${net.hostIp}/24`, 'dev', host);
    ip('link', 'set', host, 'up');
    ip('-n', ns, 'addr', 'add', `${net.peerIp}/24`, 'dev', `bd${id}p`);
    ip('-n', ns, 'link', 'set', `bd${id}p`, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
  } catch (error) {
    destroy();
    throw error;
  }
  return net;
}

/** A spawned process with its output collected. */
export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr matches (rejects after timeoutMs or when the process exits first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves to the exit code. */
  exited: Promise<number | null>;
  kill(): void;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function run(cmd: string, args: string[]): Running {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => (children.delete(child), res(code))));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: () => void child.kill('SIGKILL'),
    async waitForStderr(pattern, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(err)) {
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before ${pattern}: ${err}`);
        if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}: ${err}`);
        await sleep(50);
      }
    },
  };
}

/** Runs the beacon CLI from source. */
export function runBeacon(args: string[]): Running {
  return run(process.execPath, ['--import', 'tsx', '--conditions=@beacon/source', 'packages/cli/src/bin.ts', ...args]);
}

/** The TCP client run in the namespace: connect, send 64 bytes, close; absolute schedule so connects do not drift. */
const CLIENT = `
import net from 'node:net';
const [host, port, mode, ms, meanMs] = process.argv.slice(1);
const mean = Number(meanMs), end = Date.now() + Number(ms);
const next = () => mode === 'periodic' ? mean * (1 + (Math.random() * 2 - 1) * 0.2) : -mean * Math.log(1 - Math.random());
let t = Date.now(), n = 0;
for (;;) {
  t += next();
  if (t > end) break;
  await new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
  const s = net.connect(Number(port), host, () => s.end('x'.repeat(64)));
  s.on('error', () => {});
  s.setTimeout(2000, () => s.destroy());
  n++;
}
console.log(n);
`;

/**
 * Runs a client inside the namespace: every `meanMs` with +-20 % jitter (`periodic`) or with
 * exponential inter-arrival times of the same mean (`poisson`), for `durationMs`.
 */
export function runClient(net: TestNet, port: number, mode: 'periodic' | 'poisson', durationMs: number, meanMs = 100): Running {
  return run('ip', ['netns', 'exec', net.ns, process.execPath, '--input-type=module', '-e', CLIENT, net.hostIp, String(port), mode, String(durationMs), String(meanMs)]);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
