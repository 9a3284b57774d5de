import { z } from 'zod';
import { DEFAULT_DETECTOR_CONFIG } from '@beacon/detector';
import { MAX_BODY_BYTES, MAX_INTERVAL_SECONDS, MAX_LIST_LENGTH } from './limits.js';

const port = z.number().int().min(1).max(65535);
const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const fraction = z.number().min(0).max(1);
const weight = z.number().nonnegative().finite();
const ipOrCidr = z.string().min(1).max(64);
/** A timer interval in seconds, from `min` to what a Node timer can hold (2^31 ms). */
const interval = (min: number) =>
  z
    .number()
    .min(min, { message: `must be at least ${min} seconds` })
    .max(MAX_INTERVAL_SECONDS, { message: `must be at most ${MAX_INTERVAL_SECONDS} seconds (2^31 ms, the longest timer)` });
/** A list of at most MAX_LIST_LENGTH items. */
const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_LIST_LENGTH, { message: `must have at most ${MAX_LIST_LENGTH} entries` });
const bodyBytes = z.number().int().positive().max(MAX_BODY_BYTES, { message: `must be at most ${MAX_BODY_BYTES} bytes (1 GiB)` });

/** The `data_plane:` section: the collector's keys, as the original's. */
export const dataPlaneSchema = z.strictObject({
  interface: z.string().min(1).default('eth0'),
  /** Seconds between telemetry exports. */
  export_interval: interval(0.1).default(60),
  control_plane_host: z.string().min(1).default('127.0.0.1'),
  control_plane_port: port.default(9090),
  /** Seconds before a telemetry request is abandoned. */
  connection_timeout: interval(0.1).default(10),
  /** Events buffered while the control plane is away; beyond it they are dropped and counted. */
  max_buffer_size: z.number().int().positive().default(100_000),
  /** eBPF ring buffer size in pages. */
  ring_buffer_pages: z.number().int().positive().default(64),
  track_tcp: z.boolean().default(true),
  track_udp: z.boolean().default(true),
  /** Seconds of silence inside a flow after which the next packet is an activity burst. */
  idle_gap: positive.default(1),
  /** Seconds after which an idle flow is ended. */
  flow_timeout: positive.default(120),
  /** Flows the kernel tracks at once. */
  flow_table_size: z.number().int().positive().default(65_536),
  /** Identifier of this data plane in telemetry; defaults to dp-<hostname>. */
  node_id: z.string().min(1).optional(),
  /** Largest telemetry request body, in bytes, before gzip. */
  max_batch_bytes: bodyBytes.default(4 * 1024 * 1024),
});

/** The `control_plane:` section. */
export const controlPlaneSchema = z.strictObject({
  listen_address: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port (printed at start). */
  listen_port: z.number().int().min(0).max(65535).default(9090),
  /** Seconds a pair is kept after it was last seen. */
  data_retention: positive.default(7200),
  /** Seconds between retention sweeps. */
  cleanup_interval: interval(1).default(300),
  /** Bearer token for writes (and for everything when set); required to listen beyond loopback. */
  api_key: z.string().min(1).nullable().default(null),
  /** Concurrent HTTP connections the server accepts. */
  max_connections: z.number().int().positive().default(1024),
  /** Largest request body in bytes, before and after gzip. */
  max_body_bytes: bodyBytes.default(8 * 1024 * 1024),
  tls_cert: z.string().min(1).nullable().default(null),
  tls_key: z.string().min(1).nullable().default(null),
  /** Origins allowed by CORS; empty means no CORS headers at all. */
  cors_origins: list(z.string().min(1)).default([]),
  /**
   * Host names (DNS names the API is reached by) accepted in the Host header besides IP
   * addresses, localhost and listen_address. Empty: any Host on a non-loopback bind.
   */
  allowed_hosts: list(z.string().min(1).max(253)).default([]),
});

/** The `detection:` section. Unset keys take the detector's defaults. */
export const detectionSchema = z.strictObject({
  min_connections: z.number().int().min(3).optional(),
  /** Seconds a flow must stay open to be listed as a long connection. */
  min_duration: nonNegative.optional(),
  time_window: positive.optional(),
  cv_threshold: positive.optional(),
  periodicity_threshold: fraction.optional(),
  jitter_threshold: nonNegative.optional(),
  min_beacon_interval: nonNegative.optional(),
  max_beacon_interval: positive.optional(),
  cv_weight: weight.optional(),
  periodicity_weight: weight.optional(),
  jitter_weight: weight.optional(),
  size_weight: weight.optional(),
  alert_threshold: fraction.optional(),
  alert_cooldown: nonNegative.optional(),
  analysis_interval: interval(1).optional(),
  max_pairs: z.number().int().positive().optional(),
  max_history: z.number().int().min(4).optional(),
  /** CIDR prefixes and addresses that are ours; decides each pair's direction. */
  internal_networks: z.array(ipOrCidr).optional(),
  /** Whether inbound pairs (outside hosts calling ours) may be beacons and alert. */
  alert_on_inbound: z.boolean().optional(),
}).superRefine((d, ctx) => {
  // Each weight is finite, but two near 1e308 sum to Infinity and every score becomes 0.
  const w = DEFAULT_DETECTOR_CONFIG.weights;
  const sum = (d.cv_weight ?? w.cv) + (d.periodicity_weight ?? w.periodicity) + (d.jitter_weight ?? w.jitter) + (d.size_weight ?? w.size);
  if (!Number.isFinite(sum)) ctx.addIssue({ code: 'custom', message: `the weights (cv, periodicity, jitter, size) must have a finite sum (got ${sum})` });
});

const syslogSchema = z.strictObject({
  enabled: z.boolean().default(false),
  facility: z.string().default('local0'),
  level: z.string().default('warning'),
  protocol: z.enum(['udp', 'tcp', 'tls', 'unix']).default('udp'),
  host: z.string().default('127.0.0.1'),
  port: port.default(514),
  path: z.string().default('/dev/log'),
  /** Message body: beacon (structured data + text), ecs or ocsf JSON, or ArcSight cef. */
  format: z.enum(['beacon', 'ecs', 'ocsf', 'cef']).default('beacon'),
});
const fileSchema = z.strictObject({
  enabled: z.boolean().default(false),
  path: z.string().default('/var/log/beacon-detect/alerts.json'),
  max_size_mb: positive.default(100),
  backup_count: z.number().int().nonnegative().default(5),
  /** Each line: beacon (the alert JSON), ecs or ocsf. */
  format: z.enum(['beacon', 'ecs', 'ocsf']).default('beacon'),
});
const webhookSchema = z.strictObject({
  enabled: z.boolean().default(false),
  url: z.string().default(''),
  headers: z.record(z.string(), z.string()).default({}),
  timeout: interval(0.1).default(10),
  retries: z.number().int().nonnegative().default(3),
  secret: z.string().nullable().default(null),
  /** The body: beacon (the alert JSON), ecs or ocsf. */
  format: z.enum(['beacon', 'ecs', 'ocsf']).default('beacon'),
});

/** The `alerting:` section; the flat spellings of the original's README are accepted too. */
export const alertingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  console: z.boolean().default(false),
  queue_size: z.number().int().positive().default(1000),
  syslog: syslogSchema.prefault({}),
  file: fileSchema.prefault({}),
  webhook: webhookSchema.prefault({}),
  syslog_enabled: z.boolean().optional(),
  file_enabled: z.boolean().optional(),
  file_path: z.string().optional(),
  webhook_enabled: z.boolean().optional(),
  webhook_url: z.string().optional(),
});

/** The `logging:` section. */
export const loggingSchema = z.strictObject({
  level: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical', 'fatal']))
    .default('info'),
  format: z.enum(['json', 'text']).default('text'),
  file: z.string().nullable().default(null),
  max_size_mb: positive.default(100),
  backup_count: z.number().int().nonnegative().default(5),
});

/** The `persistence:` section. `db_path: null` or `enabled: false` turns persistence off. */
export const persistenceSchema = z.strictObject({
  enabled: z.boolean().default(true),
  db_path: z.string().min(1).nullable().default('./beacon_detect.db'),
  /** Seconds between batched writes. */
  flush_interval: interval(1).default(5),
});

/** The `whitelist:` section (`ports` and `destination_ports` are the same list). */
export const whitelistSchema = z.strictObject({
  source_ips: list(ipOrCidr).default([]),
  destination_ips: list(ipOrCidr).default([]),
  ports: list(port).default([]),
  destination_ports: list(port).default([]),
  pairs: list(z.string().min(1).max(200)).default([]),
  /** Server names (TLS SNI, HTTP Host, DNS) or wildcard suffixes such as `*.windowsupdate.com`. */
  server_names: list(z.string().min(1).max(255)).default([]),
});

/** The `benign_baseline:` section. */
export const benignBaselineSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Multicast and broadcast destinations (mDNS, SSDP, IPv6 neighbour discovery) are benign. */
  multicast: z.boolean().default(true),
  patterns: list(
      z
        .strictObject({
          dst_port: port.optional(),
          protocol: z.union([z.enum(['tcp', 'udp', 'TCP', 'UDP']), z.number().int().min(0).max(255)]).optional(),
          /** Destination addresses or CIDR prefixes (IPv4 or IPv6) of a known service. */
          dst_ips: list(ipOrCidr).min(1).optional(),
          /** Server names or wildcard suffixes (`*.windowsupdate.com`) of a known service. */
          server_names: list(z.string().min(1).max(255)).min(1).optional(),
          label: z.string().min(1),
        })
        .refine((p) => p.dst_port !== undefined || p.dst_ips !== undefined || p.server_names !== undefined, {
          message: 'a pattern needs dst_port, dst_ips or server_names',
        }),
    )
    .default([]),
});

/** `I/N`: shard I (1-based) of N. */
const shardSpec = z.string().regex(/^\s*\d+\s*\/\s*\d+\s*$/, 'expected "I/N", e.g. "1/3"').refine((v) => {
  const [i, n] = v.split('/').map(Number);
  return i! >= 1 && i! <= n! && n! <= 1024;
}, 'shard I/N needs 1 <= I <= N <= 1024');

/**
 * The `cluster:` section: control-plane shards on NATS JetStream. Without `nats_url` the
 * control plane is one process, as before.
 */
export const clusterSchema = z.strictObject({
  /** NATS server(s), e.g. `nats://127.0.0.1:4222` (comma-separated for several). Null: no cluster. */
  nats_url: z.string().min(1).nullable().default(null),
  /** JetStream stream holding the events (subjects `beacon.events.<partition>`). */
  stream: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only').default('BEACON_EVENTS'),
  /** Partitions events are spread over by source address; fixed for the life of the stream. */
  partitions: z.number().int().min(1).max(1024).default(16),
  /** This process's shard, `I/N` (1-based). Null: 1/1, all partitions. */
  shard: shardSpec.nullable().default(null),
  /** NATS credentials file (`.creds`, JWT and NKey seed). */
  credentials: z.string().min(1).nullable().default(null),
  /** NATS user and password, or a token (instead of `credentials`). */
  user: z.string().min(1).nullable().default(null),
  password: z.string().min(1).nullable().default(null),
  token: z.string().min(1).nullable().default(null),
  /** TLS to NATS: CA bundle, client certificate and key (PEM files). */
  tls_ca: z.string().min(1).nullable().default(null),
  tls_cert: z.string().min(1).nullable().default(null),
  tls_key: z.string().min(1).nullable().default(null),
  /** Seconds a shard waits for the other shards' answers to a query before answering `partial: true`. */
  query_timeout: positive.default(2),
  /** Seconds events stay in the stream; keep it above `control_plane.data_retention` so a lost shard can be rebuilt. */
  max_age: positive.default(86_400),
  /** Stream replicas (on a NATS cluster of at least that many servers). */
  replicas: z.number().int().min(1).max(5).default(1),
});

/** The whole configuration file. Every section is optional; unknown keys are errors. */
export const beaconConfigSchema = z.strictObject({
  data_plane: dataPlaneSchema.prefault({}),
  control_plane: controlPlaneSchema.prefault({}),
  detection: detectionSchema.prefault({}),
  alerting: alertingSchema.prefault({}),
  logging: loggingSchema.prefault({}),
  persistence: persistenceSchema.prefault({}),
  whitelist: whitelistSchema.prefault({}),
  benign_baseline: benignBaselineSchema.prefault({}),
  cluster: clusterSchema.prefault({}),
});

/** The validated configuration, with defaults filled in. */
export type BeaconConfig = z.output<typeof beaconConfigSchema>;
/** The configuration as written in a file: every key optional. */
export type BeaconConfigInput = z.input<typeof beaconConfigSchema>;
