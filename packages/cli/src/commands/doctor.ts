import type { Command } from 'commander';
import { diagnoseProbe, type ProbeCheck } from '@beacon/bpf-probe';
import { configFrom, dataPlaneTarget } from '../dataplane/loadDataPlaneConfig.js';

interface DoctorOptions {
  config?: string;
  interface?: string;
  attach: boolean;
  json?: boolean;
}

/**
 * Asks the control plane's `/api/v1/status`, then checks the token the way `collect` will use it:
 * a POST to `/api/v1/telemetry` with an empty, invalid body (refused before anything is
 * ingested: 401/403 means the token is wrong, a 400 means it was accepted).
 */
async function controlPlaneCheck(baseUrl: string, token: string | undefined): Promise<ProbeCheck> {
  const fix = 'start `beacon server` there, or point at it with --host/--port or data_plane.control_plane_host/control_plane_port';
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  try {
    const status = await fetch(`${baseUrl}/api/v1/status`, { headers: auth, signal: AbortSignal.timeout(3000) });
    await status.body?.cancel().catch(() => undefined);
    if (!status.ok && status.status !== 401 && status.status !== 403) {
      return { id: 'control-plane', status: 'missing', detail: `${baseUrl}/api/v1/status answered ${status.status}`, fix };
    }
    const probe = await fetch(`${baseUrl}/api/v1/telemetry`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(3000) });
    await probe.body?.cancel().catch(() => undefined);
    if (probe.status === 401 || probe.status === 403) {
      return {
        id: 'control-plane',
        status: 'missing',
        detail: `${baseUrl} refused the ${token ? 'token' : 'request without a token'} (${probe.status})`,
        fix: "set --token, control_plane.api_key or $BEACON_API_KEY to the server's api_key",
      };
    }
    return { id: 'control-plane', status: 'ok', detail: `${baseUrl} answers and accepts telemetry${token ? ' with this token' : ''}` };
  } catch (error) {
    const c = (error as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (error as Error).message;
    return { id: 'control-plane', status: 'missing', detail: `${baseUrl} unreachable (${cause})`, fix };
  }
}

const MARK: Record<ProbeCheck['status'], string> = { ok: 'ok     ', missing: 'MISSING', warn: 'warn   ', skipped: 'skipped' };

/**
 * Registers `beacon doctor`: checks what `beacon collect` needs on this machine (kernel, BTF,
 * capabilities, libbpf, the addon, the interface and a real attach, the control plane) and
 * prints what is missing and how to fix it. Exit code 0 only when `collect` would work.
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check that this machine can run `beacon collect`: kernel, BTF, capabilities, libbpf, the probe addon, the interface, the control plane')
    .option('-c, --config <file>', 'config file (data_plane section: interface, control plane host/port)')
    .option('-i, --interface <name>', 'interface to check (default: data_plane.interface)')
    .option('--no-attach', 'do not try a real load and attach on the interface')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: DoctorOptions, cmd: Command) => {
      const target = dataPlaneTarget(cmd, await configFrom(opts.config), undefined);
      const ifname = opts.interface ?? target.config.data_plane.interface;
      const probe = await diagnoseProbe({ interface: ifname, attach: opts.attach });
      const checks = [...probe.checks, await controlPlaneCheck(target.baseUrl, target.token)];
      const ok = checks.every((c) => c.status !== 'missing');
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok, checks }, null, 2)}\n`);
      else {
        const width = Math.max(...checks.map((c) => c.id.length));
        for (const c of checks) {
          process.stdout.write(`${MARK[c.status]}  ${c.id.padEnd(width)}  ${c.detail}\n`);
          if (c.fix && c.status !== 'ok') process.stdout.write(`${' '.repeat(width + 11)}fix: ${c.fix}\n`);
        }
        process.stdout.write(ok ? '\n`beacon collect` should work here.\n' : `\n${checks.filter((c) => c.status === 'missing').length} problem(s): \`beacon collect\` will not work until they are fixed.\n`);
      }
      process.exitCode = ok ? 0 : 1;
    });
}
