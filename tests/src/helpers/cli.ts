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
