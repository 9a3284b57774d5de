import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url));

/** Arguments that run the `beacon` CLI from source with node. */
export function cliArgs(args: readonly string[]): string[] {
  return ['--import', 'tsx', '--conditions=@beacon/source', 'packages/cli/src/bin.ts', ...args];
}

/** The outcome of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `beacon ...args` to completion. */
export function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`beacon ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A `beacon server` child process and the URL it listens on. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  /** SIGTERM, and the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts `beacon server ...args` and waits for its `listening URL` line. */
export function startServer(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(['server', ...args]), { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`beacon server did not start:\n${out}`));
    }, 30_000);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening (https?:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        const url = m[1];
        resolve({
          child,
          url,
          port: Number(new URL(url).port),
          output: () => out,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!/listening/.test(out)) reject(new Error(`beacon server exited with ${code}:\n${out}`));
    });
  });
}

/**
 * POSTs a beacon's worth of telemetry to a running server: 30 flow starts from `srcIp` to
 * `dstIp:8443`, 20 s apart, ending now (enough for one alert). Returns the HTTP status.
 */
export async function postBeaconTelemetry(url: string, key: string, srcIp: string, dstIp: string, nodeId: string): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const events = Array.from({ length: 30 }, (_, i) => ({
    timestamp_ns: String(BigInt(now - (29 - i) * 20) * 1_000_000_000n), src_ip: srcIp, dst_ip: dstIp, src_port: 50000 + i, dst_port: 8443, packet_size: 400, protocol: 6, tcp_flags: 2, direction: 1,
  }));
  const res = await fetch(`${url}/api/v1/telemetry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ batch_id: nodeId, node_id: nodeId, created_at: new Date().toISOString(), event_count: events.length, events }),
  });
  return res.status;
}
