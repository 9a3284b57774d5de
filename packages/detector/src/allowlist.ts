import type { AllowlistConfig } from './config.js';
import { Allowlist } from './internal/allowlist.js';

/** The `whitelist:` rules compiled once, for filtering events before they reach a detector. */
export interface AllowlistMatcher {
  /** True when no rule is configured (every check can be skipped). */
  readonly empty: boolean;
  /** True when traffic from `srcIp` to `dstIp:dstPort` is allowlisted (to be dropped). */
  matches(srcIp: string, dstIp: string, dstPort: number): boolean;
  /** True when a connection carrying this server name (SNI, HTTP Host) is allowlisted. */
  matchesName(serverName: string): boolean;
}

/**
 * Compiles allowlist rules with exactly the detector's semantics (addresses and CIDR prefixes of
 * either family, destination ports, exact `src:dst:port` pairs in any spelling of the addresses,
 * server names and `*.suffix` wildcards), for a data plane that drops allowlisted traffic before
 * sending it. Missing fields count as empty lists.
 * @example
 * const allow = createAllowlist({ destinationIps: ['10.0.0.0/8'], serverNames: ['*.windowsupdate.com'] });
 * allow.matches('192.0.2.7', '10.1.2.3', 443); // true
 */
export function createAllowlist(rules: Partial<AllowlistConfig>): AllowlistMatcher {
  const list = new Allowlist({
    sourceIps: rules.sourceIps ?? [],
    destinationIps: rules.destinationIps ?? [],
    destinationPorts: rules.destinationPorts ?? [],
    pairs: rules.pairs ?? [],
    serverNames: rules.serverNames ?? [],
  });
  const empty = list.empty && list.names.empty;
  return {
    empty,
    matches: (srcIp, dstIp, dstPort) => list.matches(srcIp, dstIp, dstPort),
    matchesName: (serverName) => list.names.has(serverName),
  };
}
