import { closeSync, openSync, writeSync } from 'node:fs';
import type { ConnectionEvent } from '@beacon/detector';
import { createRng, generateDataset, type DatasetOptions, type SyntheticPair } from '@beacon/synth';

/** Options of {@link synthTraffic}. */
export interface SynthTrafficOptions extends DatasetOptions {
  /** Span of the traffic in seconds: each pair starts at a random time and is cut at the end. @default 43200 (12 h) */
  spanSeconds?: number;
  /**
   * Irregular connections mixed in, as most rows of a real log are: each goes to one of
   * `noisePairs` (host, server) pairs picked at random, so most of these pairs have a few rows.
   * @default 0
   */
  noiseRows?: number;
  /** Distinct pairs the noise rows are spread over. @default 50000 */
  noisePairs?: number;
  /** Fill with one-off connections up to this many events in total (instead of `noiseRows`). */
  totalRows?: number;
  /** Epoch seconds of the start. @default 1_700_000_000 */
  start?: number;
}

/** Labelled traffic: events in time order, and each pair's label by pair key fragments. */
export interface SynthTraffic {
  events: ConnectionEvent[];
  /** `src->dst:port` of every generated pair, with its ground-truth label. */
  labels: Map<string, SyntheticPair['label']>;
}

const PORTS = [443, 8443, 80, 53, 123, 8080, 4444, 8883];

/**
 * Turns `@beacon/synth` pairs into one time-ordered event stream, as a sensor would log it:
 * each pair gets its own source (10.x) and destination (198.18.x) address and starts at a
 * random point of the span.
 */
export function synthTraffic(options: SynthTrafficOptions = {}): SynthTraffic {
  const { spanSeconds = 43_200, noiseRows = 0, noisePairs = 50_000, totalRows, start = 1_700_000_000, ...dataset } = options;
  const pairs = generateDataset(dataset);
  const rng = createRng((dataset.seed ?? 1) + 7);
  const events: ConnectionEvent[] = [];
  const labels = new Map<string, SyntheticPair['label']>();
  pairs.forEach((p, i) => {
    const src = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const dst = `198.18.${(i >> 8) & 255}.${i & 255}`;
    const dstPort = PORTS[i % PORTS.length] as number;
    const protocol = dstPort === 53 || dstPort === 123 ? 17 : 6;
    const t0 = p.timestamps[0] as number;
    const length = (p.timestamps[p.timestamps.length - 1] as number) - t0;
    const offset = start + rng.uniform(0, Math.max(0, spanSeconds - length) * 0.9);
    labels.set(`${src}->${dst}:${dstPort}`, p.label);
    for (let k = 0; k < p.timestamps.length; k++) {
      const t = offset + (p.timestamps[k] as number) - t0;
      if (t >= start + spanSeconds) break;
      events.push(event(t, src, dst, 40_000 + (k % 20_000), dstPort, protocol, p.sizes[k] as number));
    }
  });
  const noise = totalRows === undefined ? noiseRows : Math.max(0, totalRows - events.length);
  for (let i = 0; i < noise; i++) {
    const t = start + rng.uniform(0, spanSeconds);
    const k = rng.int(0, noisePairs - 1);
    // 1,024 hosts, each with its own servers
    const src = `10.200.${(k >> 8) & 3}.${k & 255}`;
    const dst = `203.${(k >> 18) & 255}.${(k >> 10) & 255}.${(k * 7) & 255}`;
    events.push(event(t, src, dst, rng.int(1024, 65535), 443, 6, rng.int(0, 4000)));
  }
  events.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
  return { events, labels };
}

function event(t: number, srcIp: string, dstIp: string, srcPort: number, dstPort: number, protocol: number, bytes: number): ConnectionEvent {
  const tsSec = Math.floor(t);
  return {
    tsSec,
    tsNsec: Math.min(999_999_000, Math.round((t - tsSec) * 1e6) * 1000),
    srcIp,
    dstIp,
    srcPort,
    dstPort,
    protocol,
    direction: 'egress',
    bytes: Math.max(0, Math.round(bytes)),
    packets: 1,
    tcpFlags: protocol === 6 ? 0x1b : 0,
    kind: 'flow_start',
    node: 'synth',
    durationSec: 0.5,
  };
}

const FIELDS = 'ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents';

/** Writes events as a Zeek conn.log (TSV with its header, as Zeek writes it); returns its size in bytes. */
export function writeConnLog(path: string, events: readonly ConnectionEvent[]): number {
  const fd = openSync(path, 'w');
  let size = writeSync(fd, `#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#fields\t${FIELDS}\n`);
  let out = '';
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as ConnectionEvent;
    const tcp = e.protocol === 6;
    const ts = `${e.tsSec}.${String(Math.floor(e.tsNsec / 1000)).padStart(6, '0')}`;
    out += `${ts}\tC${i.toString(36)}\t${e.srcIp}\t${e.srcPort}\t${e.dstIp}\t${e.dstPort}\t${tcp ? 'tcp\tssl' : 'udp\tdns'}\t${(e.durationSec ?? 0).toFixed(6)}\t${e.bytes}\t${e.bytes * 3}\t${tcp ? 'SF' : 'S0'}\tT\tF\t0\t${tcp ? 'ShADadFf' : 'D'}\t${e.packets}\t${e.bytes + 40}\t1\t900\t(empty)\n`;
    if (out.length > 1 << 20) {
      size += writeSync(fd, out);
      out = '';
    }
  }
  size += writeSync(fd, out);
  closeSync(fd);
  return size;
}
