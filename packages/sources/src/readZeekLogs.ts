import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ConnectionEvent } from '@beacon/detector';
import { openInput } from './internal/input.js';
import { createStats, Sink } from './internal/stats.js';
import { readZeek } from './internal/zeekReader.js';
import { ZeekNameJoin, type ZeekLogKind } from './internal/zeekNames.js';
import type { ZeekOptions } from './readZeekConnLog.js';
import type { EventSource, SourceStats } from './types.js';

/** Options of {@link readZeekLogs}. */
export interface ZeekLogsOptions extends ZeekOptions {
  /**
   * Most ssl.log/http.log names held at once waiting for their conn.log row; past it the oldest
   * waiting name is dropped (counted in `stats.names.evicted`). The logs are joined as a stream,
   * so only the names of connections still open (and read up to `nameSkewSec` ahead) wait.
   * @default 262144
   */
  maxNames?: number;
  /**
   * Log seconds an ssl.log/http.log name waits for its conn.log row, measured from the name's
   * `ts` to the newest conn.log `ts` read. Zeek writes a conn.log row when its connection ends,
   * with `ts` = its start: a connection longer than this (plus Zeek's inactivity timeouts) loses
   * its SNI/Host name (counted in `stats.names.unjoined`) and falls back to a DNS name.
   * @default 3600
   */
  nameWindowSec?: number;
  /**
   * Log seconds the ssl/http/dns logs are read ahead of the newest conn.log `ts`: how far a name
   * row may be out of order against its conn row (clock skew between the logs, late handshakes).
   * @default 120
   */
  nameSkewSec?: number;
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
 * `answers`, `TTLs`) for its responder address valid at the row's time. The join is a stream:
 * the name logs are read alongside conn.log in log time (up to `nameSkewSec` ahead), and a
 * name waits for its conn row at most `nameWindowSec` (counted in `stats.names.unjoined` when
 * it does not come) and among at most `maxNames` waiting names, so memory is bounded by the
 * connections open at once, not by the logs' size. Logs of one kind are read in the order
 * given (a directory's in name order, so rotated logs stay in order). TSV, JSON lines and gzip,
 * as for conn.log.
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
      const join = new ZeekNameJoin(stats, files, {
        maxNames: options.maxNames ?? 262_144,
        maxDnsNames: options.maxDnsNames ?? 65_536,
        windowSec: options.nameWindowSec ?? 3600,
        skewSec: options.nameSkewSec ?? 120,
        chunkSize: options.chunkSize ?? 1 << 20,
      });
      try {
        for (const f of files) {
          if (f.kind !== 'conn') continue;
          const opened = await openInput(f.path, options.chunkSize);
          stats.gzip ||= opened.gzip;
          const node = options.node ?? `zeek:${basename(f.path)}`;
          yield* readZeek(opened, new Sink(stats, { ...options, node }), { ...options, node }, join);
        }
        await join.finish();
      } finally {
        await join.close();
      }
    },
  };
}
