import type { ConnectionEvent } from '@beacon/detector';
import { EventEmitter } from 'eventemitter3';
import { untrackForCleanup } from './internal/cleanup.js';
import { decodeRecords, RECORD_SIZE } from './internal/decode.js';
import { EventQueue } from './internal/eventQueue.js';
import type { NativeAddon, NativeCounters, NativeHandle } from './internal/native.js';
import { type Namer, PAYLOAD_RECORD_SIZE } from './internal/names.js';
import type { ProbeCounters, TestRunHook, TestRunResult } from './options.js';
import { ProbeError } from './probeError.js';

/** Events a {@link Probe} emits. */
export interface ProbeEvents {
  /** One connection event (`flow_start`, `burst` or `flow_end`). */
  event: (event: ConnectionEvent) => void;
  /** The events of one batch read from the native queue, in order. */
  batch: (events: ConnectionEvent[]) => void;
  /** A failure while running. */
  error: (error: ProbeError) => void;
  /** The probe was closed and detached; no more events follow. */
  close: () => void;
}

const BATCH_RECORDS = 4096;
const PAYLOAD_BATCH = 256;
/** How often held flow starts are checked for the end of their wait. */
const EXPIRE_EVERY_MS = 50;
const BATCHES_PER_TURN = 32;

/**
 * A running probe: the kernel programs attached to one interface and a typed event stream.
 * Listen with `on('event' | 'batch')`, or iterate with `for await`; while the iterator's
 * buffer holds `highWaterMark` events the probe stops pulling from the native queue, which
 * then fills, and the kernel counts what it has to drop. Create one with {@link openProbe}.
 */
export class Probe extends EventEmitter<ProbeEvents> {
  /** Active hooks, e.g. `xdp+tcx_egress`, `xdpgeneric+tcx_egress`, `tc_ingress+tc_egress`. */
  readonly attachMode: string;
  /** Why preferred hooks were skipped (empty when the first choice attached). */
  readonly fallbacks: string;
  /** Index of the observed interface. */
  readonly ifindex: number;
  /** The interface's driver as ethtool reports it (`veth`, `virtio_net`, ...; `none` for lo). */
  readonly driver: string;
  /** True when the interface has no bus device (veth, bridge, lo, ...): `auto` prefers TC ingress there. */
  readonly virtualDevice: boolean;

  private readonly native: NativeAddon;
  private readonly handle: NativeHandle;
  private readonly node: string;
  private readonly highWaterMark: number;
  private readonly queue = new EventQueue<ConnectionEvent>();
  /** Reused for every drain: records are decoded before the next one. */
  private readonly scratch = Buffer.alloc(BATCH_RECORDS * RECORD_SIZE);
  private readonly waiters: Array<(result: IteratorResult<ConnectionEvent>) => void> = [];
  private iterators = 0;
  private pumping = false;
  private scheduled = false;
  private closed = false;
  private recordsRead = 0;
  private idleEvictions = 0;
  private eventsDelivered = 0;
  private lastNative: NativeCounters | undefined;
  private readonly namer: Namer | undefined;
  private readonly payloadScratch: Buffer | undefined;
  private expiry: ReturnType<typeof setInterval> | undefined;

  /** @internal Use {@link openProbe}. */
  constructor(native: NativeAddon, handle: NativeHandle, node: string, highWaterMark: number, namer?: Namer) {
    super();
    this.native = native;
    this.handle = handle;
    this.node = node;
    this.highWaterMark = highWaterMark;
    this.namer = namer;
    if (namer !== undefined) {
      this.payloadScratch = Buffer.alloc(PAYLOAD_BATCH * PAYLOAD_RECORD_SIZE);
      this.expiry = setInterval(() => this.expireHeld(), EXPIRE_EVERY_MS);
      this.expiry.unref();
    }
    const info = native.info(handle);
    this.attachMode = info.mode;
    this.fallbacks = info.fallbacks;
    this.ifindex = info.ifindex;
    this.driver = info.driver;
    this.virtualDevice = info.virtual === 1;
  }

  /** @internal Called by the addon's reader thread when records are waiting. */
  onReady(): void {
    this.pump();
  }

  /** Current counters (kernel counters are those of the last read once closed). */
  counters(): ProbeCounters {
    const n = this.closed ? this.lastNative : this.native.counters(this.handle);
    return {
      packetsSeen: n?.packetsSeen ?? 0,
      recordsSent: n?.recordsSent ?? 0,
      ringbufDrops: n?.ringbufDrops ?? 0,
      flowTableFull: n?.flowTableFull ?? 0,
      parseErrors: n?.parseErrors ?? 0,
      nonIp: n?.nonIp ?? 0,
      nonTcpUdp: n?.nonTcpUdp ?? 0,
      filtered: n?.filtered ?? 0,
      recordsRead: this.recordsRead,
      idleEvictions: this.idleEvictions,
      eventsDelivered: this.eventsDelivered,
      queueDepth: this.closed ? 0 : (n?.queueDepth ?? 0),
      queueFullWaits: n?.queueFullWaits ?? 0,
      iteratorBuffered: this.queue.length,
      names: {
        payloadRecords: n?.payloadRecords ?? 0,
        payloadDrops: n?.payloadDrops ?? 0,
        ...(this.namer?.counts ?? {
          payloadsRead: 0, tlsServerNames: 0, httpHosts: 0, dnsResponses: 0, dnsAnswers: 0, dnsNamed: 0, truncated: 0,
          malformed: 0, startsReleasedUnnamed: 0, heldOverflow: 0, flowNameEvictions: 0,
        }),
        dnsEvictions: this.namer?.dns.evicted ?? 0,
        heldStarts: this.namer?.heldCount ?? 0,
      },
    };
  }

  /**
   * Runs one of the probe's programs on a crafted frame with BPF_PROG_TEST_RUN (for tests of
   * malformed input and for measuring per-packet cost). Runs off the main thread.
   */
  testRun(hook: TestRunHook, packet: Uint8Array, repeat = 1): Promise<TestRunResult> {
    if (this.closed) return Promise.reject(new ProbeError('closed', 'the probe is closed'));
    return this.native.testRun(this.handle, hook, packet, repeat);
  }

  /** Detaches the programs, delivers the records still queued, then emits `close`. */
  close(): Promise<void> {
    this.closeNow();
    return Promise.resolve();
  }

  /** @internal Synchronous close, used by the signal handlers. */
  closeNow(): void {
    if (this.closed) return;
    this.readPayloads();
    try {
      this.lastNative = this.native.counters(this.handle);
    } catch {
      // keep the previous snapshot
    }
    this.native.close(this.handle);
    if (this.expiry !== undefined) clearInterval(this.expiry);
    this.closed = true;
    untrackForCleanup(this);
    for (let n = this.native.drainInto(this.handle, this.scratch); n > 0; n = this.native.drainInto(this.handle, this.scratch)) {
      this.deliver(n);
    }
    if (this.namer !== undefined) this.emitEvents(this.namer.expire(Date.now(), true));
    if (this.queue.length === 0) this.finishIterators();
    this.emit('close');
  }

  /** Events as an async iterator with backpressure; ends when the probe is closed. */
  [Symbol.asyncIterator](): AsyncIterator<ConnectionEvent> {
    this.iterators++;
    let done = false;
    const finish = (): Promise<IteratorResult<ConnectionEvent>> => {
      if (!done) {
        done = true;
        this.iterators--;
      }
      return Promise.resolve({ done: true, value: undefined });
    };
    return {
      next: () => {
        if (done) return finish();
        const event = this.queue.shift();
        if (event) {
          if (this.queue.length <= this.highWaterMark / 2) this.schedule();
          return Promise.resolve({ done: false, value: event });
        }
        if (this.closed) return finish();
        this.schedule();
        return new Promise((resolve) => this.waiters.push(resolve));
      },
      return: finish,
    };
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    try {
      this.readPayloads();
      for (let i = 0; i < BATCHES_PER_TURN; i++) {
        if (this.iterators > 0 && this.queue.length >= this.highWaterMark) return; // resumed by next()
        const n = this.native.drainInto(this.handle, this.scratch);
        if (n === 0) return;
        this.deliver(n);
      }
      this.schedule(); // more may be waiting: continue after pending I/O
    } finally {
      this.pumping = false;
    }
  }

  /** Reads the kernel's payload records (names) before the events they name. */
  private readPayloads(): void {
    const namer = this.namer;
    const buf = this.payloadScratch;
    if (namer === undefined || buf === undefined) return;
    for (let i = 0; i < BATCHES_PER_TURN; i++) {
      const n = this.native.drainPayloads(this.handle, buf);
      if (n === 0) return;
      namer.readPayloads(buf, n, Date.now());
    }
  }

  private expireHeld(): void {
    if (this.closed || this.namer === undefined || this.namer.heldCount === 0) return;
    this.readPayloads();
    this.emitEvents(this.namer.expire(Date.now()));
  }

  private deliver(count: number): void {
    const decoded = decodeRecords(this.scratch, this.node, count);
    const fromKernel = decoded.fromKernel;
    this.recordsRead += fromKernel;
    this.idleEvictions += decoded.events.length - fromKernel;
    this.emitEvents(this.namer === undefined ? decoded.events : this.namer.nameBatch(decoded.events, Date.now()));
  }

  private emitEvents(events: ConnectionEvent[]): void {
    if (events.length === 0) return;
    this.eventsDelivered += events.length;
    if (this.listenerCount('batch') > 0) this.emit('batch', events);
    if (this.listenerCount('event') > 0) for (const event of events) this.emit('event', event);
    if (this.iterators === 0) return;
    for (const event of events) {
      const waiter = this.waiters.shift();
      if (waiter) waiter({ done: false, value: event });
      else this.queue.push(event);
    }
  }

  private finishIterators(): void {
    for (const waiter of this.waiters.splice(0)) waiter({ done: true, value: undefined });
  }
}
