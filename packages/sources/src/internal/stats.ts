import type { ConnectionEvent } from '@beacon/detector';
import type { SourceOptions, SourceProblem, SourceStats } from '../types.js';

/** A fresh, zeroed stats object. */
export function createStats(): SourceStats {
  return {
    format: undefined,
    gzip: false,
    bytes: 0,
    records: 0,
    events: 0,
    eventsByKind: { flow_start: 0, burst: 0, flow_end: 0 },
    problems: {
      garbled_line: 0,
      garbled_header: 0,
      truncated_record: 0,
      garbled_record: 0,
      malformed_packet: 0,
      unsupported_link_type: 0,
    },
    problemSamples: [],
    skipped: { nonIp: 0, nonTcpUdp: 0, fragments: 0, unsupportedLinkType: 0, eventTypes: 0 },
    names: { tlsServerNames: 0, httpHosts: 0, dnsAnswers: 0, dnsNamed: 0, malformed: 0, evicted: 0, joined: 0, unjoined: 0, reassembled: 0, segmentsOutOfOrder: 0, segmentsRepeated: 0, unfinished: 0 },
    flows: { open: 0, peak: 0, closed: 0, timedOut: 0, evicted: 0, endedAtEof: 0 },
  };
}

/**
 * Collects events into batches of at most `batchSize` and counts problems. Readers push
 * synchronously while parsing a chunk, then hand the finished batches to the consumer.
 */
export class Sink {
  readonly stats: SourceStats;
  private current: ConnectionEvent[] = [];
  private ready: ConnectionEvent[][] = [];
  private readonly batchSize: number;
  private readonly maxSamples: number;
  private readonly onProblem: ((problem: SourceProblem) => void) | undefined;

  constructor(stats: SourceStats, options: SourceOptions) {
    const { batchSize = 4096, maxProblemSamples = 20, onProblem } = options;
    this.stats = stats;
    this.batchSize = Math.max(1, Math.floor(batchSize));
    this.maxSamples = maxProblemSamples;
    this.onProblem = onProblem;
  }

  push(event: ConnectionEvent): void {
    const stats = this.stats;
    stats.events++;
    stats.eventsByKind[event.kind]++;
    this.current.push(event);
    if (this.current.length >= this.batchSize) {
      this.ready.push(this.current);
      this.current = [];
    }
  }

  problem(problem: SourceProblem): void {
    this.stats.problems[problem.kind]++;
    if (this.stats.problemSamples.length < this.maxSamples) this.stats.problemSamples.push(problem);
    this.onProblem?.(problem);
  }

  /** Full batches so far; with `final`, also the partial one. */
  take(final = false): ConnectionEvent[][] {
    if (final && this.current.length > 0) {
      this.ready.push(this.current);
      this.current = [];
    }
    const out = this.ready;
    this.ready = [];
    return out;
  }
}
