import type { BeaconConfig } from '@beacon/config';
import type { ProbeOptions } from '@beacon/bpf-probe';

/**
 * The probe options the `data_plane:` section asks for: ring_buffer_pages, track_tcp,
 * track_udp, idle_gap, flow_timeout and flow_table_size; `iface` overrides `interface`.
 */
export function probeOptionsFrom(dp: BeaconConfig['data_plane'], iface: string | undefined, node: string, log: (line: string) => void): ProbeOptions {
  return {
    interface: iface ?? dp.interface,
    ringBufferPages: dp.ring_buffer_pages,
    trackTcp: dp.track_tcp,
    trackUdp: dp.track_udp,
    idleGap: dp.idle_gap,
    flowTimeout: dp.flow_timeout,
    mapSize: dp.flow_table_size,
    node,
    log,
  };
}
