import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ConnectionEvent } from '@beacon/detector';
import { openInput } from './internal/input.js';
import { createStats, Sink } from './internal/stats.js';
import { readZeek } from './internal/zeekReader.js';
import { ZeekNameIndex, type ZeekLogKind } from './internal/zeekNames.js';
import type { ZeekOptions } from './readZeekConnLog.js';
import type { EventSource, SourceStats } from './types.js';

/** Options of {@link readZeekLogs}. */
export interface ZeekLogsOptions extends ZeekOptions {
  /**
   * Most connection uids whose ssl.log/http.log name is held for the join. They are held in two
   * halves: when the newer half is full, the older half is forgotten at once (counted in
   * `stats.names.evicted`), so between half and all of the newest `maxNames` are kept. Bounds
   * memory on multi-GB directories.
   * @default 262144
   */
  maxNames?: number;
  /**
   * Most addresses named from dns.log answers (least recently answered forgotten first, counted).
   * @default 65536
   */
  maxDnsNames?: number;
}

/** One Zeek log file and what it holds. */
export interface ZeekLogFile {
  path: string;
  kind: ZeekLogKind;
}

const LOG_NAME = /^(conn|ssl|http|dns)([._-].*)?\.log(\.gz)?$/;

/**
 * The Zeek logs among `paths`: a directory contributes its conn, ssl, http and dns logs (rotated
 * ones too, e.g. `conn.00:00:00-01:00:00.log.gz`); a file named like one of them is that log; any
 * other file is read as a conn.log. Sorted by name within each kind, so rotated logs stay in order.
 */
export async function zeekLogFiles(paths: readonly string[]): Promise<ZeekLogFile[]> {
  const out: ZeekLogFile[] = [];
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) {
      for (const name of (await readdir(p)).sort()) {
        const m = LOG_NAME.exec(name);
        if (m !== null) out.push({ path: join(p, name), kind: m[1] as ZeekLogKind });
      }
    } else {
      const m = LOG_NAME.exec(basename(p));
      out.push({ path: p, kind: m === null ? 'conn' : (m[1] as ZeekLogKind) });
    }
  }
  return out;
}

/**
 * Reads a Zeek log directory, or several logs at once, as one event stream: every conn.log row
 * becomes an event as {@link readZeekConnLog} makes it, named (`serverName`) by the ssl.log
 * `server_name` or http.log `host` of the same `uid`, or else by a dns.log answer (`query`,
 * `answers`, `TTLs`) for its responder address valid at the row's time. The ssl/http/dns logs
 * are read first, so rows of one uid may be in any file and any order; memory is bounded by
 * `maxNames` and `maxDnsNames`, not by the logs' size. TSV, JSON lines and gzip, as for conn.log.
 * @example
 * for await (const batch of readZeekLogs(['/var/log/zeek/2024-05-01'])) detector.ingestBatch(batch);
 */
export function readZeekLogs(paths: readonly string[], options: ZeekLogsOptions = {}): EventSource {
  const stats: SourceStats = createStats();
  return {
    stats,
    async *[Symbol.asyncIterator](): AsyncGenerator<ConnectionEvent[]> {
      Object.assign(stats, createStats());
      const files = await zeekLogFiles(paths);
      const index = new ZeekNameIndex(stats, options.maxNames ?? 262_144, options.maxDnsNames ?? 65_536);
      for (const f of files) if (f.kind !== 'conn') await index.load(f.path, f.kind);
      stats.names.evicted += index.dns.evicted;
      for (const f of files) {
        if (f.kind !== 'conn') continue;
        const opened = await openInput(f.path, options.chunkSize);
        stats.gzip ||= opened.gzip;
        const node = options.node ?? `zeek:${basename(f.path)}`;
        yield* readZeek(opened, new Sink(stats, { ...options, node }), { ...options, node }, index);
      }
    },
  };
}
