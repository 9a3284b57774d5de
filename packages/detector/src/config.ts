import { DEFAULT_WEIGHTS, type Weights } from '@beacon/scoring';

/**
 * A benign baseline: matching traffic is scored and listed but marked benign, never alerted.
 * A pattern matches when every field it gives matches; it gives `dstPort`, `dstIps` or both.
 * @example
 * { dstIps: ['192.0.2.0/24', '2001:db8::/32'], dstPort: 443, label: 'AV updates' }
 */
export interface BenignPattern {
  /** Destination port. */
  dstPort?: number;
  /** IANA protocol number (6 TCP, 17 UDP). The schema also accepts `'tcp'`/`'udp'`. Any when absent. */
  protocol?: number;
  /** Destination addresses or CIDR prefixes (IPv4 and IPv6). */
  dstIps?: string[];
  /**
   * Server names (TLS SNI, HTTP Host, DNS) or wildcard suffixes (`*.windowsupdate.com`): matches
   * connections that carry such a name, and the name-keyed pairs of those names.
   */
  serverNames?: string[];
  /** Shown in the beacon item's `benign_label`, e.g. `NTP`. */
  label: string;
}

/** Traffic dropped before scoring (the original's `whitelist`). Every dropped event is counted. */
export interface AllowlistConfig {
  /** Source addresses or CIDR prefixes (IPv4 and IPv6). @default [] */
  sourceIps: string[];
  /** Destination addresses or CIDR prefixes (IPv4 and IPv6). @default [] */
  destinationIps: string[];
  /** Destination ports. @default [] */
  destinationPorts: number[];
  /** Exact pairs `src:dst:port` (bracket IPv6 addresses: `[::1]:[2001:db8::5]:443`). @default [] */
  pairs: string[];
  /**
   * Server names or wildcard suffixes (`*.windowsupdate.com` matches every name below it):
   * connections carrying such a name (TLS SNI, HTTP Host, DNS) are dropped. @default []
   */
  serverNames: string[];
}

/** Benign baselines (the original's `benign_baseline`). */
export interface BenignBaselineConfig {
  /** Master switch: when false nothing is benign (patterns and multicast alike). @default true */
  enabled: boolean;
  /**
   * Built-in baseline: multicast (IPv4 224.0.0.0/4, IPv6 ff00::/8) and the limited broadcast
   * address 255.255.255.255 are benign, labelled `multicast` / `broadcast` (neighbour discovery,
   * MLD, mDNS, SSDP are periodic but never C2). Configured patterns are checked first.
   * @default true
   */
  multicast: boolean;
  /** With no patterns, NTP (UDP/123) is the baseline. @default [{ dstPort: 123, protocol: 17, label: 'NTP' }] */
  patterns: BenignPattern[];
}

/**
 * Detector configuration: the original's `detection`/`control_plane` keys in camelCase, plus caps.
 * All durations are in seconds.
 */
export interface DetectorConfig {
  /** Events (flow starts and bursts) a pair needs in its window before it is scored. @default 10 */
  minConnections: number;
  /** A flow open at least this long is a long connection. @default 3600 */
  minDuration: number;
  /**
   * Base scoring window. A pair's effective window is
   * `max(timeWindow, (minConnections + 2) x its median interval)`, bounded by `maxHistory`,
   * so slow beacons stay scorable. @default 3600
   */
  timeWindow: number;
  /** Interval CV at or below which timing counts as regular (reported in explanations). @default 0.15 */
  cvThreshold: number;
  /** Combined score at or above which a pair is a beacon and may alert. @default 0.7 */
  alertThreshold: number;
  /** Jitter (seconds) at or below which timing counts as tight (reported in explanations). @default 5 */
  jitterThreshold: number;
  /** Seconds between analysis runs of the periodic loop. @default 60 */
  analysisInterval: number;
  /** Minimum seconds between two alerts for the same pair. @default 300 */
  alertCooldown: number;
  /** Shortest estimated period that may be called a beacon (Havoc's 2 s must pass). @default 1 */
  minBeaconInterval: number;
  /** Longest estimated period that may be called a beacon. @default 86400 */
  maxBeaconInterval: number;
  /** Signal weights passed to `scorePair`. @default { cv: 0.35, periodicity: 0.35, jitter: 0.15, size: 0.15 } */
  weights: Weights;
  /** A pair idle longer than `max(dataRetention, 3 x its period)` expires. @default 7200 */
  dataRetention: number;
  /** Seconds between cleanup passes of the periodic loop. @default 300 */
  cleanupInterval: number;
  /** Most pairs held; the least recently seen is evicted beyond it. @default 100000 */
  maxPairs: number;
  /** Events kept per pair (ring buffer); the oldest is overwritten beyond it. @default 128 */
  maxHistory: number;
  /** Most open flows tracked for long connections; least recently active evicted beyond it. @default 100000 */
  maxOpenFlows: number;
  /** How late (seconds behind a pair's newest event) an event may arrive and still be placed in order. @default 60 */
  outOfOrderTolerance: number;
  /**
   * Address ranges that are ours (CIDR prefixes or addresses, IPv4 and IPv6). A pair's
   * direction comes from them unless the event says which side is local (Zeek's `local_orig` /
   * `local_resp`: a side Zeek calls local is ours either way). The live agent adds the host's
   * own interface addresses (see `hostAddresses`).
   * @default the private (RFC 1918), CGNAT (100.64.0.0/10), loopback, link-local and ULA (fc00::/7) ranges
   */
  internalNetworks: string[];
  /**
   * Whether inbound pairs (an outside host calling one of ours: scanners, probes) may be
   * beacons and alert. When false they are scored and listed, with `reason: 'inbound'`. @default false
   */
  alertOnInbound: boolean;
  /** Traffic dropped before scoring. */
  allowlist: AllowlistConfig;
  /** Expected periodic traffic: scored, marked benign, never alerted. */
  benignBaseline: BenignBaselineConfig;
}

/** A benign pattern as written in config files: the protocol may be a name (`udp`). */
export interface BenignPatternInput {
  /** Destination port. */
  dstPort?: number;
  /** Protocol number or name (`tcp`, `udp`, `icmp`, `icmpv6`). */
  protocol?: number | string;
  /** Destination addresses or CIDR prefixes. */
  dstIps?: string[];
  /** Server names or wildcard suffixes (`*.windowsupdate.com`). */
  serverNames?: string[];
  /** The benign label. */
  label: string;
}

/**
 * Input accepted by {@link detectorConfigSchema} and the detector's options: any subset of keys,
 * nested sections partial too. Missing keys take their {@link DEFAULT_DETECTOR_CONFIG} value.
 */
export type DetectorConfigInput = Partial<Omit<DetectorConfig, 'weights' | 'allowlist' | 'benignBaseline' | 'internalNetworks'>> & {
  internalNetworks?: readonly string[];
  weights?: Partial<Weights>;
  allowlist?: Partial<AllowlistConfig>;
  benignBaseline?: { enabled?: boolean; multicast?: boolean; patterns?: BenignPatternInput[] };
};

/** The default `internalNetworks`: private, CGNAT, loopback, link-local and unique-local ranges. */
export const DEFAULT_INTERNAL_NETWORKS: readonly string[] = Object.freeze([
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
]);

/** The defaults, frozen. */
export const DEFAULT_DETECTOR_CONFIG: Readonly<DetectorConfig> = Object.freeze({
  minConnections: 10,
  minDuration: 3600,
  timeWindow: 3600,
  cvThreshold: 0.15,
  alertThreshold: 0.7,
  jitterThreshold: 5,
  analysisInterval: 60,
  alertCooldown: 300,
  minBeaconInterval: 1,
  maxBeaconInterval: 86_400,
  weights: DEFAULT_WEIGHTS,
  dataRetention: 7200,
  cleanupInterval: 300,
  maxPairs: 100_000,
  maxHistory: 128,
  maxOpenFlows: 100_000,
  outOfOrderTolerance: 60,
  internalNetworks: DEFAULT_INTERNAL_NETWORKS as string[],
  alertOnInbound: false,
  allowlist: Object.freeze({ sourceIps: [], destinationIps: [], destinationPorts: [], pairs: [], serverNames: [] }),
  benignBaseline: Object.freeze({ enabled: true, multicast: true, patterns: [{ dstPort: 123, protocol: 17, label: 'NTP' }] }),
}) as Readonly<DetectorConfig>;
