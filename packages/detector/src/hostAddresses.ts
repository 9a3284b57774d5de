import { networkInterfaces } from 'node:os';

/**
 * This host's own interface addresses (IPv4 and IPv6, loopback included, zone ids removed), for
 * `internalNetworks` of a detector that watches the host it runs on (`beacon agent`, the live
 * probe): whatever the host's addresses, traffic it starts is outbound and traffic to it inbound.
 * @example
 * createDetector({ config: { internalNetworks: [...DEFAULT_INTERNAL_NETWORKS, ...hostAddresses()] } });
 */
export function hostAddresses(): string[] {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      const ip = a.address.split('%')[0];
      if (ip !== undefined && ip !== '') out.add(ip);
    }
  }
  return [...out];
}
