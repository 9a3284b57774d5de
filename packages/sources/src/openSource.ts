import { SourceError } from './errors.js';
import { readCapture, sniffCapture } from './internal/captureReader.js';
import { openInput } from './internal/input.js';
import { makeSource } from './internal/source.js';
import { readZeek } from './internal/zeekReader.js';
import { readEve } from './eve/internal/eveReader.js';
import { sniffEve } from './eve/internal/sniffEve.js';
import type { EveOptions } from './eve/readSuricataEve.js';
import type { PcapOptions } from './readPcap.js';
import type { ZeekOptions } from './readZeekConnLog.js';
import type { EventSource, SourceInput } from './types.js';

/** Options of {@link openSource}: the format, plus the options of whichever reader it picks. */
export interface OpenSourceOptions extends ZeekOptions, PcapOptions, EveOptions {
  /**
   * `auto` sniffs the content (after gunzip): pcap/pcapng magic numbers, `#` for Zeek TSV,
   * a first JSON line with `event_type` for Suricata EVE, other `{` lines for Zeek JSON.
   * @default 'auto'
   */
  format?: 'auto' | 'zeek' | 'pcap' | 'eve';
}

/** The format {@link openSource} picked from the first bytes, or undefined if none fits. */
function sniff(head: Buffer): 'zeek' | 'pcap' | 'eve' | undefined {
  if (sniffCapture(head) !== undefined) return 'pcap';
  if (sniffEve(head)) return 'eve';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i === head.length) return 'zeek';
  return head[i] === 0x23 || head[i] === 0x7b ? 'zeek' : undefined;
}

/**
 * Opens a Zeek conn.log, a Suricata eve.json or a pcap/pcapng capture, gzip-compressed or not, recognising the
 * format from its content. Rejects with a {@link SourceError} (`OPEN_FAILED`,
 * `UNKNOWN_FORMAT`) before any event is read.
 * @example
 * const source = await openSource(process.argv[2]);
 * for await (const batch of source) detector.ingest(batch);
 * console.log(source.stats.format, source.stats.records);
 */
export async function openSource(input: SourceInput, options: OpenSourceOptions = {}): Promise<EventSource> {
  const opened = await openInput(input, options.chunkSize);
  const forced = options.format === 'zeek' || options.format === 'pcap' || options.format === 'eve';
  const format = forced ? options.format : sniff(opened.head);
  if (format === undefined) {
    const start = opened.head.subarray(0, 8).toString('hex');
    throw new SourceError('UNKNOWN_FORMAT', `${opened.name}: neither a Zeek log, a Suricata EVE log nor a pcap/pcapng capture (starts with ${start})`);
  }
  const read = format === 'pcap' ? readCapture : format === 'eve' ? readEve : readZeek;
  return makeSource(input, options, (o, sink) => read(o, sink, options), opened);
}
