/**
 * The telemetry wire format between a data plane and the control plane: the original's JSON
 * batch, field for field, plus optional fields of our own (`kind`, `packets`,
 * `duration_seconds`) that older senders simply omit.
 */

/** One event as sent in a telemetry batch. */
export interface TelemetryEvent {
  /** Nanoseconds since the epoch. A JSON number (exact to ~256 ns) or a decimal string (exact). */
  timestamp_ns: number | string;
  timestamp_utc?: string;
  src_ip: string;
  dst_ip: string;
  src_port: number;
  dst_port: number;
  /** Payload bytes the event accounts for. */
  packet_size: number;
  /** IANA protocol number. */
  protocol: number;
  protocol_name?: string;
  tcp_flags?: number;
  tcp_flags_list?: string[];
  /** 0 ingress, 1 egress. */
  direction?: number;
  direction_name?: string;
  node_id?: string;
  connection_key?: string;
  /** `flow_start` (default when absent), `burst` or `flow_end`. */
  kind?: 'flow_start' | 'burst' | 'flow_end';
  /** Packets the event accounts for (default 1). */
  packets?: number;
  /** For `flow_end`: how long the flow was open. */
  duration_seconds?: number;
  /** TLS SNI, HTTP Host or DNS name of the flow, when the data plane saw one (1-255 characters). */
  server_name?: string;
}

/** Drop counters a data plane reports with each batch. */
export interface DataPlaneStats {
  /** Records the kernel could not deliver (ring buffer full), since the data plane started. */
  events_dropped_ebpf: number;
  /** Events discarded because the export buffer was full, since the data plane started. */
  events_dropped_overflow: number;
}

/** A telemetry batch: `POST /api/v1/telemetry`. */
export interface TelemetryBatch {
  batch_id: string;
  node_id: string;
  created_at: string;
  event_count: number;
  tcp_count: number;
  udp_count: number;
  unique_connections: number;
  data_plane_stats?: DataPlaneStats;
  events: TelemetryEvent[];
}
