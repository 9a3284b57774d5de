import type { ConnectionEvent, EventKind } from '@beacon/detector';

/**
 * Where a source reads from: a file path, or any async iterable of bytes (a Node `Readable`,
 * e.g. `process.stdin`). Gzip-compressed content is recognised by its magic and decompressed.
 */
export type SourceInput = string | AsyncIterable<Uint8Array>;

/** The format a source was read as. */
export type SourceFormat = 'zeek-tsv' | 'zeek-json' | 'pcap' | 'pcapng' | 'suricata-eve';

/** Kinds of damage a reader reports and counts; none of them stops the reader. */
export type SourceProblemKind =
  /** A Zeek or EVE line that cannot become an event (wrong column count, bad number, bad JSON, a bad field). */
  | 'garbled_line'
  /** A header line that cannot be understood (e.g. `#fields` without `ts`). */
  | 'garbled_header'
  /** The input ends in the middle of a record, line or gzip member. */
  | 'truncated_record'
  /** A pcap/pcapng record or block header that makes no sense; the reader resynchronises. */
  | 'garbled_record'
  /** A packet whose link, IP or TCP/UDP header is cut short or invalid. */
  | 'malformed_packet'
  /** A pcap link type (or pcapng interface) this reader does not decode; reported once per interface. */
  | 'unsupported_link_type';

/** One reported problem. */
export interface SourceProblem {
  kind: SourceProblemKind;
  /** Human-readable detail, e.g. `expected 23 columns, found 7`. */
  message: string;
  /** 1-based line number (Zeek logs, EVE). */
  line?: number;
  /** Byte offset in the (decompressed) input where the damaged record starts (pcap/pcapng). */
  offset?: number;
}

/** Counters a reader keeps while it runs; final once iteration has finished. */
export interface SourceStats {
  /** Format detected, once the first bytes have been read. */
  format: SourceFormat | undefined;
  /** Whether the input was gzip-compressed. */
  gzip: boolean;
  /** Bytes read after decompression. */
  bytes: number;
  /** Records read: data lines for Zeek, packets for pcap/pcapng. */
  records: number;
  /** Events emitted, in total and by kind. */
  events: number;
  /** Events emitted per kind. */
  eventsByKind: Record<EventKind, number>;
  /** Problems counted per kind. */
  problems: Record<SourceProblemKind, number>;
  /** The first problems in full (see {@link SourceOptions.maxProblemSamples}). */
  problemSamples: SourceProblem[];
  /** Records read but deliberately not turned into events. */
  skipped: {
    /** Frames that carry neither IPv4 nor IPv6 (ARP, LLDP, ...). */
    nonIp: number;
    /** IP packets that are neither TCP nor UDP (ICMP, ESP, ...), and Zeek rows of an unknown protocol. */
    nonTcpUdp: number;
    /** Non-first IP fragments (no transport header to key a flow on). */
    fragments: number;
    /** Packets on interfaces with an unsupported link type. */
    unsupportedLinkType: number;
    /** Suricata EVE records other than `flow` (names are taken from `tls`/`http`/`dns` first). */
    eventTypes: number;
  };
  /** Suricata EVE only: records per `event_type`, and the `flow_id` join of server names. */
  eve?: {
    /** Records read per `event_type` (the first 64 types; any others under `other`). */
    eventTypes: Record<string, number>;
    names: {
      /** Flow records that got a `serverName`. */
      joined: number;
      /** Names still waiting for their flow record (at the end: flows never logged). */
      pending: number;
      /** Names dropped unjoined because `maxPendingNames` was reached. */
      dropped: number;
    };
  };
  /** Server names learned (TLS SNI, HTTP Host, DNS answers, Zeek ssl/http/dns joins). */
  names: {
    /** Flows named by a TLS ClientHello's SNI. */
    tlsServerNames: number;
    /** Flows named by an HTTP/1.x Host header. */
    httpHosts: number;
    /** Address answers read from DNS responses (or dns.log rows). */
    dnsAnswers: number;
    /** Flows with no SNI or Host named through a DNS answer for their destination. */
    dnsNamed: number;
    /** ClientHellos, HTTP request heads or DNS responses that broke their format (skipped). */
    malformed: number;
    /**
     * Addresses forgotten by the bounded DNS name table, or Zeek ssl/http names dropped because
     * more than `maxNames` were waiting for their conn.log rows at once.
     */
    evicted: number;
    /** Zeek: conn.log rows named by the ssl.log or http.log row of their `uid`. */
    joined: number;
    /**
     * Zeek: ssl.log/http.log names whose conn.log row did not come within the join window
     * (`nameWindowSec`; e.g. a connection that lasted longer) or at all.
     */
    unjoined: number;
    /** pcap: flows named from a first client payload reassembled from two or more TCP segments. */
    reassembled: number;
    /** pcap: first-payload segments that arrived ahead of a gap (held until it filled). */
    segmentsOutOfOrder: number;
    /** pcap: first-payload segments that brought nothing new (retransmissions). */
    segmentsRepeated: number;
    /**
     * pcap: first payloads given up on while still incomplete (the 16 KiB or 16-segment bound,
     * or too many flows reassembling at once); those flows start unnamed.
     */
    unfinished: number;
  };
  /** Flow-table counters (pcap/pcapng only). */
  flows: {
    /** Flows currently open. */
    open: number;
    /** Most flows open at once. */
    peak: number;
    /** Flows closed by a TCP FIN or RST. */
    closed: number;
    /** Flows ended after being idle longer than the flow timeout. */
    timedOut: number;
    /** Flows evicted because the table reached `maxFlows` (least recently active first). */
    evicted: number;
    /** Flows still open at end of input, ended there. */
    endedAtEof: number;
  };
}

/** Options every reader takes. */
export interface SourceOptions {
  /**
   * Largest number of events per yielded batch.
   * @default 4096
   */
  batchSize?: number;
  /**
   * The events' `node` field.
   * @default `zeek:<file name>`, `pcap:<file name>` or `eve:<file name>` (`stream` when reading a stream)
   */
  node?: string;
  /** Called for each problem as it is found (after it has been counted). */
  onProblem?: (problem: SourceProblem) => void;
  /**
   * How many problems are kept in full in {@link SourceStats.problemSamples}.
   * @default 20
   */
  maxProblemSamples?: number;
  /**
   * Read-stream chunk size in bytes when reading a file path.
   * @default 1048576
   */
  chunkSize?: number;
}

/**
 * A running source: iterate it once for batches of events (in input order); `stats` fills in
 * as it goes. Breaking out of the loop closes the file.
 */
export interface EventSource extends AsyncIterable<ConnectionEvent[]> {
  /** Live counters. */
  readonly stats: SourceStats;
}
