import type { ProbeNameCounters } from './internal/names.js';

/**
 * How the ingress side is hooked. `xdp` tries native XDP, then generic XDP, then TC ingress.
 * `auto` does the same on a device with a bus device (a NIC), and tries TC ingress first
 * (then native, then generic XDP) on a virtual device (veth, bridge, bond, tun, lo, ...),
 * where native XDP costs far more than TC: on veth it turns off the peer's TSO and switches the
 * device to NAPI mode, so every MTU-sized segment takes the XDP and stack path one by one.
 * `xdp-native`, `xdp-generic` and `tc` force one hook.
 */
export type AttachModeOption = 'auto' | 'xdp' | 'xdp-native' | 'xdp-generic' | 'tc';

/** How TC hooks attach: `auto` uses a TCX bpf_link (kernel >= 6.6) and falls back to a clsact filter. */
export type TcModeOption = 'auto' | 'tcx' | 'clsact';

/**
 * Options of {@link openProbe}. The data-plane config keys of the original system map as
 * `interface` -> `interface`, `ring_buffer_pages` -> `ringBufferPages`, `track_tcp` ->
 * `trackTcp`, `track_udp` -> `trackUdp`.
 */
export interface ProbeOptions {
  /** Network interface to observe, e.g. `eth0`. */
  interface: string;
  /**
   * Ingress hook.
   * @default 'auto'
   */
  attachMode?: AttachModeOption;
  /**
   * How TC hooks (egress, and ingress when XDP is not used) are attached.
   * @default 'auto'
   */
  tc?: TcModeOption;
  /**
   * Also observe egress traffic with a TC egress program.
   * @default true
   */
  egress?: boolean;
  /**
   * Seconds of silence inside a flow after which the next packet is reported as a `burst`.
   * @default 1
   */
  idleGap?: number;
  /**
   * Seconds after which an idle flow is evicted with a `flow_end` event.
   * @default 120
   */
  flowTimeout?: number;
  /**
   * Seconds a TCP flow closed by FIN/RST keeps absorbing its trailing packets (the answering
   * FIN, the last ACK) before its table entry is removed; a SYN without ACK starts a new flow
   * at once. The same rule and default as the pcap reader's `closedLingerSec`.
   * @default 10
   */
  closeLinger?: number;
  /**
   * Seconds between sweeps of the flow table for idle flows.
   * @default 1
   */
  sweepInterval?: number;
  /**
   * Ring-buffer size in 4 KiB pages; a power of two (`ring_buffer_pages` in the seeds' config).
   * @default 64
   */
  ringBufferPages?: number;
  /**
   * Maximum number of flows the kernel tracks at once.
   * @default 65536
   */
  mapSize?: number;
  /**
   * Track TCP flows (`track_tcp`).
   * @default true
   */
  trackTcp?: boolean;
  /**
   * Track UDP flows (`track_udp`).
   * @default true
   */
  trackUdp?: boolean;
  /**
   * Records the reader thread may hold for JS; when full it stops reading and the kernel
   * counts what it has to drop.
   * @default 65536
   */
  queueCapacity?: number;
  /**
   * Events the async iterator may buffer before the probe stops pulling from the native queue.
   * @default 16384
   */
  highWaterMark?: number;
  /**
   * Ring-buffer bytes waiting before the kernel wakes the reader; below that the reader polls
   * every 10 ms. Capped at half the ring buffer.
   * @default 262144
   */
  wakeupBytes?: number;
  /**
   * Server names: the kernel hands user space the first 1024 bytes of each TCP flow's first
   * client payload and of every UDP payload from port 53, which are parsed for the TLS SNI,
   * the HTTP/1.x Host and DNS answers; events then carry `serverName`. Off: no payload is
   * copied and events carry no name.
   * @default true
   */
  serverNames?: boolean;
  /**
   * Seconds a TCP `flow_start` is held back waiting for the flow's first client payload (its
   * name); a flow whose client does not speak first (SSH, SMTP) is delivered after this, named
   * from DNS if its destination was answered for. 0 delivers starts at once (named from DNS only).
   * @default 1
   */
  nameWait?: number;
  /**
   * Most addresses remembered from DNS answers (least recently answered forgotten first, counted).
   * @default 65536
   */
  maxDnsNames?: number;
  /**
   * Size of the payload ring buffer (server names) in 4 KiB pages; a power of two. One record
   * takes 1088 bytes.
   * @default 256
   */
  payloadRingPages?: number;
  /**
   * Node identifier written into every event's `node`.
   * @default os.hostname()
   */
  node?: string;
  /**
   * Close the probe (and remove legacy TC filters) on SIGINT, SIGTERM and process exit.
   * @default true
   */
  handleSignals?: boolean;
  /**
   * Where start-up lines such as `eBPF attachment mode: xdp+tcx_egress` go.
   * @default a line on stderr
   */
  log?: (line: string) => void;
}

/** Counters of a running probe. Kernel counters are summed over CPUs. */
export interface ProbeCounters {
  /** Packets any hook saw (every packet is passed on). */
  packetsSeen: number;
  /** Ring-buffer records the kernel tried to send (delivered + `ringbufDrops`). */
  recordsSent: number;
  /** Records the kernel dropped because the ring buffer was full. */
  ringbufDrops: number;
  /** New flows not tracked because the flow table was full. */
  flowTableFull: number;
  /** Truncated or malformed packets. */
  parseErrors: number;
  /** Frames that were not IPv4/IPv6. */
  nonIp: number;
  /** IP packets that were neither TCP nor UDP, and non-first fragments. */
  nonTcpUdp: number;
  /** TCP/UDP packets skipped because `trackTcp`/`trackUdp` is off. */
  filtered: number;
  /** Kernel records decoded in JS; at rest `recordsRead + ringbufDrops === recordsSent`. */
  recordsRead: number;
  /** `flow_end` events made by the idle sweep (not counted in `recordsSent`). */
  idleEvictions: number;
  /** Events handed to listeners and iterators. */
  eventsDelivered: number;
  /** Records waiting in the native queue. */
  queueDepth: number;
  /** Times the reader thread found the native queue full and waited for JS. */
  queueFullWaits: number;
  /** Events waiting in the async iterator's buffer. */
  iteratorBuffered: number;
  /** Server names (see {@link ProbeOptions.serverNames}); zeros when they are off. */
  names: ProbeNameCounters & {
    /** `flow_start` events waiting for their first client payload. */
    heldStarts: number;
  };
}

/** Timing of one BPF_PROG_TEST_RUN. */
export interface TestRunResult {
  /** The program's return code (XDP_PASS = 2, TC_ACT_UNSPEC = -1 as unsigned). */
  retval: number;
  /** Average nanoseconds per run as measured by the kernel. */
  durationNs: number;
}

/** Which program {@link Probe.testRun} runs. */
export type TestRunHook = 'xdp' | 'tc_ingress' | 'tc_egress';
