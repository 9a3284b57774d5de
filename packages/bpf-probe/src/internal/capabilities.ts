const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

/** The capabilities that matter to the probe, read from a `/proc/<pid>/status` text. */
export interface ProbeCapabilities {
  root: boolean;
  bpf: boolean;
  netAdmin: boolean;
  sysAdmin: boolean;
  perfmon: boolean;
  /** Loading and attaching will be allowed: root, or (CAP_BPF or CAP_SYS_ADMIN) and CAP_NET_ADMIN. */
  sufficient: boolean;
}

/** Parses `CapEff` from a `/proc/self/status` text (pure, for tests). */
export function capabilitiesFrom(statusText: string, euid: number): ProbeCapabilities {
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(statusText)?.[1];
  const eff = hex ? BigInt(`0x${hex}`) : 0n;
  const has = (cap: bigint): boolean => ((eff >> cap) & 1n) === 1n;
  const c = { root: euid === 0, bpf: has(CAP_BPF), netAdmin: has(CAP_NET_ADMIN), sysAdmin: has(CAP_SYS_ADMIN), perfmon: has(CAP_PERFMON) };
  return { ...c, sufficient: c.root || ((c.bpf || c.sysAdmin) && c.netAdmin) };
}
