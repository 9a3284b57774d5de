import { BUILD_HINT, nativeBuilt } from './internal/native.js';
import { missingPrivileges } from './internal/privileges.js';

/** What {@link probeSupport} found. */
export interface ProbeSupport {
  /** True when {@link openProbe} can be expected to work here. */
  ok: boolean;
  /** Why not, with how to fix it; empty when `ok`. */
  reasons: string[];
}

/**
 * Checks, without loading native code, whether this machine can run the probe: Linux, the
 * native build present, and root or CAP_BPF + CAP_NET_ADMIN.
 */
export function probeSupport(): ProbeSupport {
  const reasons: string[] = [];
  if (process.platform !== 'linux') reasons.push(`the eBPF probe needs Linux (this is ${process.platform})`);
  else {
    if (!nativeBuilt()) reasons.push(`no native probe addon for ${process.platform}-${process.arch}: ${BUILD_HINT}`);
    const missing = missingPrivileges();
    if (missing) reasons.push(missing);
  }
  return { ok: reasons.length === 0, reasons };
}
