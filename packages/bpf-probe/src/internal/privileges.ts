import { readFileSync } from 'node:fs';
import { capabilitiesFrom } from './capabilities.js';

/** Why this process cannot load and attach BPF programs, or undefined when it can. */
export function missingPrivileges(): string | undefined {
  if (process.geteuid?.() === 0) return undefined;
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return 'cannot read /proc/self/status to check capabilities';
  }
  if (capabilitiesFrom(status, process.geteuid?.() ?? -1).sufficient) return undefined;
  return 'the probe needs root, or CAP_BPF + CAP_NET_ADMIN (e.g. `sudo setcap cap_bpf,cap_net_admin,cap_perfmon+ep $(which node)`)';
}
