import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { addonPath, loadNative, type NativeConfig } from './internal/native.js';
import { closeAll, liveSkipReason, record, waitFor } from './internal/testing/harness.js';
import { createTestNet, type TestNet } from './internal/testing/netns.js';
import { sendUdp } from './internal/testing/traffic.js';
import { openProbe } from './openProbe.js';

const skip = liveSkipReason();
if (skip) console.warn(`skipping live attach tests: ${skip}`);

let net: TestNet | undefined;
afterEach(async () => {
  await closeAll();
  net?.destroy();
  net = undefined;
});

/** Addon configuration for the raw-addon tests (auto ingress, no egress). */
const rawConfig = { ingress: 'auto', tc: 'auto', egress: 0 };

const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' });
/** `xdp`, `xdpgeneric` or '' as `ip link` reports the device's XDP mode. */
const xdpOn = (dev: string): string => / (xdp|xdpgeneric|xdpdrv) /.exec(sh('ip', ['link', 'show', 'dev', dev]))?.[1] ?? '';
/** bpf_link ids held by a process, read from its fdinfo. */
function linkIdsOf(pid: number): number[] {
  const ids: number[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    let info = '';
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue; // closed meanwhile (e.g. the directory handle itself)
    }
    const m = /^link_id:\s*(\d+)$/m.exec(info);
    if (m) ids.push(Number(m[1]));
  }
  return ids;
}
const liveLinkIds = (): number[] => (JSON.parse(sh('bpftool', ['-j', 'link', 'show'])) as Array<{ id: number }>).map((l) => l.id);
const clsactOn = (dev: string): boolean => sh('tc', ['qdisc', 'show', 'dev', dev]).includes('clsact');

/** Opens a probe in `options`, sends one UDP datagram through it, checks the event, closes. */
async function attachAndSee(options: Parameters<typeof record>[0]): Promise<string> {
  const { probe, events } = await record(options);
  await sendUdp(net!, net!.hostV4, 9, 1, 10);
  await waitFor(() => events.some((e) => e.kind === 'flow_start' && e.dstPort === 9));
  return probe.attachMode;
}

describe.skipIf(skip)('attach modes and fallbacks', () => {
  it.each([
    // veth is a virtual device: auto prefers TC ingress there (native XDP on veth turns off the peer's TSO).
    [{ attachMode: 'auto' }, 'tcx_ingress+tcx_egress', ''],
    [{ attachMode: 'auto', tc: 'clsact' }, 'tc_ingress+tc_egress', ''],
    [{ attachMode: 'auto', egress: false }, 'tcx_ingress', ''],
    [{ attachMode: 'xdp' }, 'xdp+tcx_egress', 'xdp'],
    [{ attachMode: 'xdp', egress: false }, 'xdp', 'xdp'],
    [{ attachMode: 'xdp-native' }, 'xdp+tcx_egress', 'xdp'],
    [{ attachMode: 'xdp-generic' }, 'xdpgeneric+tcx_egress', 'xdpgeneric'],
    [{ attachMode: 'tc' }, 'tcx_ingress+tcx_egress', ''],
    [{ attachMode: 'tc', tc: 'tcx' }, 'tcx_ingress+tcx_egress', ''],
    [{ attachMode: 'xdp-native', tc: 'clsact' }, 'xdp+tc_egress', 'xdp'],
    [{ attachMode: 'tc', tc: 'clsact' }, 'tc_ingress+tc_egress', ''],
  ] as const)('%j attaches as %s, sees packets and leaves nothing behind', async (opts, mode, xdp) => {
    net = createTestNet();
    const got = await attachAndSee({ interface: net.host, ...opts });
    expect(got).toBe(mode);
    expect(xdpOn(net.host)).toBe(xdp);
    if ('tc' in opts && opts.tc === 'clsact') expect(clsactOn(net.host)).toBe(true);
    const links = linkIdsOf(process.pid);
    expect(links.length > 0).toBe(mode !== 'tc_ingress+tc_egress');
    await closeAll();
    expect(xdpOn(net.host)).toBe('');
    expect(clsactOn(net.host)).toBe(false);
    await waitFor(() => !liveLinkIds().some((id) => links.includes(id)), 3000);
  });

  it('logs why auto chose TC ingress on veth', async () => {
    net = createTestNet();
    const lines: string[] = [];
    const { probe } = await record({ interface: net.host, log: (l) => lines.push(l) });
    expect(probe).toMatchObject({ driver: 'veth', virtualDevice: true, fallbacks: '' });
    expect(lines).toEqual(['eBPF attachment mode: tcx_ingress+tcx_egress (auto: veth is a virtual device, TC ingress preferred to native XDP)']);
  });

  it('falls back to TC ingress when another program holds XDP (EBUSY)', async () => {
    net = createTestNet();
    const first = await openProbe({ interface: net.host, attachMode: 'xdp-native', egress: false, log: () => {} });
    try {
      const lines: string[] = [];
      const { probe, events } = await record({ interface: net.host, attachMode: 'xdp', log: (l) => lines.push(l) });
      expect(probe.attachMode).toBe('tcx_ingress+tcx_egress');
      expect(probe.fallbacks).toMatch(/xdp native: .*; xdp generic: /);
      expect(lines[0]).toBe('eBPF attachment mode: tcx_ingress+tcx_egress');
      await sendUdp(net, net.hostV4, 9, 1, 10);
      await waitFor(() => events.length > 0);
    } finally {
      await first.close();
    }
  });

  it('falls back to generic XDP on lo, which has no native XDP', async () => {
    const { probe } = await record({ interface: 'lo', attachMode: 'xdp', egress: false });
    expect(probe.attachMode).toBe('xdpgeneric');
    expect(probe.fallbacks).toMatch(/^xdp native: /);
  });

  it('prefers TC ingress on lo in auto mode (no bus device)', async () => {
    const { probe } = await record({ interface: 'lo', egress: false });
    expect(probe).toMatchObject({ attachMode: 'tcx_ingress', driver: 'none', virtualDevice: true });
  });

  it('auto on a virtual device falls back to native, then generic XDP when TC ingress fails', async () => {
    net = createTestNet();
    const native = loadNative();
    const open = (ifname: string): { mode: string; fallbacks: string } => {
      const h = native.open({ ...rawConfig, ifname, failTcIngress: 1 } as Partial<NativeConfig> as NativeConfig, () => {});
      try {
        return native.info(h);
      } finally {
        native.close(h);
      }
    };
    expect(open(net.host)).toEqual(expect.objectContaining({ mode: 'xdp', fallbacks: 'tc ingress: Operation not supported' }));
    expect(open('lo')).toEqual(expect.objectContaining({ mode: 'xdpgeneric', fallbacks: expect.stringMatching(/^tc ingress: Operation not supported; xdp native: /) as string }));
    expect(xdpOn(net.host)).toBe('');
  });

  it('fails with a ProbeError naming a missing interface', async () => {
    await expect(openProbe({ interface: 'nosuchif0', log: () => {} })).rejects.toMatchObject({
      name: 'ProbeError',
      code: 'interface_not_found',
    });
  });

  it('leaves no program attached after SIGKILL of the process', async () => {
    net = createTestNet();
    const script = `
      const a = require(${JSON.stringify(addonPath())});
      const h = a.open({ ifname: ${JSON.stringify(net.host)}, ingress: 'xdp' }, () => { while (a.drain(h, 1024)); });
      console.log(a.info(h).mode);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const mode = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
        child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
      });
      expect(mode).toBe('xdp+tcx_egress');
      expect(xdpOn(net.host)).toBe('xdp');
      const links = linkIdsOf(child.pid!);
      expect(links).toHaveLength(2);
      child.kill('SIGKILL');
      await exited;
      await waitFor(() => xdpOn(net!.host) === '' && !liveLinkIds().some((id) => links.includes(id)), 3000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
