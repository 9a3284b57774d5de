import { protocolName, type ConnectionEvent } from '@beacon/detector';

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\torig_pkts',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval\tcount\tcount',
];

/**
 * Events as a Zeek conn.log (TSV with its header), one row per event, readable by
 * {@link readZeekConnLog} and by Zeek's own tools: what `beacon demo`
 * leaves behind so that `beacon analyze` has a file to hunt in.
 */
export function formatZeekConnLog(events: readonly ConnectionEvent[]): string {
  const rows = events.map((e, i) =>
    [
      `${e.tsSec}.${String(Math.floor(e.tsNsec / 1000)).padStart(6, '0')}`,
      `C${i.toString(36)}`,
      e.srcIp,
      e.srcPort,
      e.dstIp,
      e.dstPort,
      protocolName(e.protocol).toLowerCase(),
      e.durationSec === undefined ? '-' : e.durationSec.toFixed(6),
      e.bytes,
      e.packets,
    ].join('\t'),
  );
  return `${[...HEADER, ...rows, `#close\t${new Date().toISOString()}`].join('\n')}\n`;
}
