import { readFileSync } from 'node:fs';

const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;
const CAP_BPF = 39n;

/** Why this process cannot load and attach BPF programs, or undefined when it can. */
export function missingPrivileges(): string | undefined {
  if (process.geteuid?.() === 0) return undefined;
  let eff = 0n;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (hex) eff = BigInt(`0x${hex}`);
  } catch {
    return 'cannot read /proc/self/status to check capabilities';
  }
  const has = (cap: bigint): boolean => ((eff >> cap) & 1n) === 1n;
  if ((has(CAP_BPF) || has(CAP_SYS_ADMIN)) && has(CAP_NET_ADMIN)) return undefined;
  return 'the probe needs root, or CAP_BPF + CAP_NET_ADMIN (e.g. `sudo setcap cap_bpf,cap_net_admin,cap_perfmon+ep $(which node)`)';
}
