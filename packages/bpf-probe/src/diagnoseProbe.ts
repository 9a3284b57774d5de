import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { release } from 'node:os';
import { capabilitiesFrom } from './internal/capabilities.js';
import { BUILD_HINT, findAddon } from './internal/native.js';
import { openProbe } from './openProbe.js';
import { isProbeError } from './probeError.js';

/** One finding of {@link diagnoseProbe}. */
export interface ProbeCheck {
  /** Stable id: `platform`, `kernel`, `btf`, `privileges`, `libbpf`, `addon`, `interface`, `attach`. */
  id: string;
  /** `ok`, `missing` (the probe will not work until fixed), `warn` (works, with a limitation), `skipped`. */
  status: 'ok' | 'missing' | 'warn' | 'skipped';
  /** What was found, e.g. `6.8.0 (TCX links available)`. */
  detail: string;
  /** How to fix it, when not ok. */
  fix?: string;
}

/** What {@link diagnoseProbe} found. */
export interface ProbeDiagnosis {
  /** True when nothing is `missing`: `openProbe` on the interface is expected to work. */
  ok: boolean;
  checks: ProbeCheck[];
}

/** Options of {@link diagnoseProbe}. */
export interface DiagnoseOptions {
  /** Interface to check (exists, driver, attach). Without it the interface checks are skipped. */
  interface?: string;
  /**
   * Really open a probe on the interface for a moment (TC hooks, as `collect` falls back to) to
   * prove loading and attaching work. Needs the privileges; skipped when they are missing.
   * @default true
   */
  attach?: boolean;
}

const MIN_KERNEL: [number, number] = [5, 12];
const TCX_KERNEL: [number, number] = [6, 6];
const LIBBPF_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/lib64', '/lib'];
const APT = 'apt-get install -y libbpf1 libelf1';

function atLeast(v: [number, number], min: [number, number]): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

function findLibbpf(): string | undefined {
  for (const ldconfig of ['/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    if (!existsSync(ldconfig)) continue;
    try {
      const out = execFileSync(ldconfig, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const m = /libbpf\.so\.1 .*=> (\S+)/.exec(out);
      if (m) return m[1];
    } catch {
      // fall back to the usual directories
    }
  }
  return LIBBPF_DIRS.map((d) => `${d}/libbpf.so.1`).find((p) => existsSync(p));
}

/**
 * Checks, one by one, what the live probe needs on this machine and says how to fix what is
 * missing: Linux; the kernel version (>= 5.12 for BPF ring buffers and atomics; TCX links from
 * 6.6, older kernels use clsact filters); kernel BTF (`/sys/kernel/btf/vmlinux`); root or
 * CAP_BPF + CAP_NET_ADMIN; libbpf (inside the prebuilt addon, else the shared one); the addon (prebuilt or built, and that it loads);
 * the interface; and, unless `attach: false`, a real load and attach on it (TC hooks, closed at
 * once) reporting the attach mode. `beacon doctor` prints this.
 * @example
 * const d = await diagnoseProbe({ interface: 'eth0' });
 * for (const c of d.checks) console.log(c.status, c.id, c.detail, c.fix ?? '');
 */
export async function diagnoseProbe(options: DiagnoseOptions = {}): Promise<ProbeDiagnosis> {
  const checks: ProbeCheck[] = [];
  const add = (c: ProbeCheck): ProbeCheck => (checks.push(c), c);
  if (process.platform !== 'linux') {
    add({ id: 'platform', status: 'missing', detail: `${process.platform}: the eBPF probe runs on Linux only`, fix: 'run `beacon collect` on a Linux host; offline hunting (`beacon analyze`) works everywhere' });
    return { ok: false, checks };
  }
  const rel = release();
  const m = /^(\d+)\.(\d+)/.exec(rel);
  const ver: [number, number] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  const tcx = atLeast(ver, TCX_KERNEL);
  if (!atLeast(ver, MIN_KERNEL)) add({ id: 'kernel', status: 'missing', detail: `${rel}: older than 5.12 (no BPF ring buffer or atomics)`, fix: 'upgrade the kernel to 5.12 or later (6.6+ for TCX links)' });
  else add({ id: 'kernel', status: 'ok', detail: `${rel}${tcx ? ' (TCX links available)' : ' (no TCX before 6.6: TC hooks use clsact filters)'}` });
  if (existsSync('/sys/kernel/btf/vmlinux')) add({ id: 'btf', status: 'ok', detail: '/sys/kernel/btf/vmlinux present' });
  else add({ id: 'btf', status: 'missing', detail: 'no kernel BTF (/sys/kernel/btf/vmlinux)', fix: 'use a kernel built with CONFIG_DEBUG_INFO_BTF=y (the default on current Debian, Ubuntu, Fedora, RHEL)' });

  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // reported as no capabilities below
  }
  const caps = capabilitiesFrom(status, process.geteuid?.() ?? -1);
  const held = caps.root ? 'root' : [caps.bpf && 'CAP_BPF', caps.sysAdmin && 'CAP_SYS_ADMIN', caps.netAdmin && 'CAP_NET_ADMIN', caps.perfmon && 'CAP_PERFMON'].filter(Boolean).join(', ') || 'no capabilities';
  if (caps.sufficient) add({ id: 'privileges', status: 'ok', detail: held });
  else {
    const lacking = [!(caps.bpf || caps.sysAdmin) && 'CAP_BPF', !caps.netAdmin && 'CAP_NET_ADMIN'].filter(Boolean).join(' and ');
    add({ id: 'privileges', status: 'missing', detail: `${held}: lacks ${lacking}`, fix: 'run as root, or grant the capabilities: `sudo setcap cap_bpf,cap_net_admin,cap_perfmon+ep "$(readlink -f "$(which node)")"`' });
  }

  // The prebuilt addons carry libbpf inside them; an addon built from source links the shared one.
  const found = findAddon();
  const libbpf = found?.kind === 'prebuilt' ? 'linked into the prebuilt addon' : findLibbpf();
  if (libbpf) add({ id: 'libbpf', status: 'ok', detail: libbpf });
  else add({ id: 'libbpf', status: 'missing', detail: 'libbpf.so.1 not found (the addon built from source links it)', fix: `install the libbpf runtime: ${APT} (Fedora/RHEL: dnf install libbpf elfutils-libelf)` });

  let addonLoads = false;
  if (found === undefined) add({ id: 'addon', status: 'missing', detail: `no addon for ${process.platform}-${process.arch}`, fix: BUILD_HINT });
  else {
    try {
      createRequire(import.meta.url)(found.path);
      addonLoads = true;
      add({ id: 'addon', status: 'ok', detail: `${found.kind === 'prebuilt' ? 'prebuilt' : 'built from source'}: ${found.path}` });
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      add({ id: 'addon', status: 'missing', detail: `${basename(found.path)} does not load: ${why}`, fix: `install the runtime libraries (${found.kind === 'prebuilt' ? 'apt-get install -y libelf1 zlib1g' : APT}), or rebuild: ${BUILD_HINT}` });
    }
  }

  const ifname = options.interface;
  let ifaceOk = false;
  if (ifname === undefined) add({ id: 'interface', status: 'skipped', detail: 'no interface given', fix: 'pass -i <interface> (or set data_plane.interface)' });
  else if (!existsSync(`/sys/class/net/${ifname}`) || ifname.includes('/')) {
    const names = (() => {
      try {
        return execFileSync('ls', ['/sys/class/net'], { encoding: 'utf8' }).split(/\s+/).filter(Boolean).join(', ');
      } catch {
        return '';
      }
    })();
    add({ id: 'interface', status: 'missing', detail: `no interface named ${ifname}`, fix: `pick one of: ${names}` });
  } else {
    ifaceOk = true;
    let driver = 'virtual';
    try {
      driver = basename(readlinkSync(`/sys/class/net/${ifname}/device/driver`));
    } catch {
      // no device: a virtual interface (veth, bridge, lo)
    }
    const oper = (() => {
      try {
        return readFileSync(`/sys/class/net/${ifname}/operstate`, 'utf8').trim();
      } catch {
        return 'unknown';
      }
    })();
    add({ id: 'interface', status: 'ok', detail: `${ifname}: driver ${driver}, ${oper}; XDP ${driver === 'virtual' && ifname !== 'lo' ? 'native on veth' : ifname === 'lo' ? 'generic only' : 'native if the driver supports it, else generic'}; ${tcx ? 'TCX' : 'clsact'} for TC` });
  }

  const canTry = ifaceOk && caps.sufficient && addonLoads && libbpf !== undefined;
  if (options.attach === false) add({ id: 'attach', status: 'skipped', detail: 'not tried (--no-attach)' });
  else if (!canTry) add({ id: 'attach', status: 'skipped', detail: 'not tried: fix the checks above first' });
  else {
    try {
      const probe = await openProbe({ interface: ifname as string, attachMode: 'tc', egress: true, handleSignals: false, log: () => {} });
      const detail = `loaded and attached to ${ifname} (${probe.attachMode}${probe.fallbacks ? `, after: ${probe.fallbacks}` : ''}), then detached`;
      await probe.close();
      add({ id: 'attach', status: 'ok', detail });
    } catch (error) {
      const code = isProbeError(error) ? error.code : 'internal';
      add({ id: 'attach', status: 'missing', detail: `${code}: ${error instanceof Error ? error.message : String(error)}`, fix: code === 'load_failed' ? 'the kernel refused the BPF program: check `dmesg` and the kernel version/BTF above' : 'another program may hold the hook: `bpftool net show dev <interface>`' });
    }
  }
  return { ok: checks.every((c) => c.status !== 'missing'), checks };
}
