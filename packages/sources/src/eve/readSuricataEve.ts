import { makeSource } from '../internal/source.js';
import type { EventSource, SourceInput, SourceOptions } from '../types.js';
import { readEve } from './internal/eveReader.js';

/** Options of {@link readSuricataEve}. */
export interface EveOptions extends SourceOptions {
  /**
   * Server names (TLS SNI, HTTP Host, DNS query) held by `flow_id` until their flow record
   * arrives; past this the oldest is dropped and counted in `stats.eve.names.dropped`.
   * @default 65536
   */
  maxPendingNames?: number;
}

/**
 * Reads a Suricata EVE JSON log (`eve.json`, one JSON object a line, optionally gzip). Each
 * `flow` record becomes one whole connection: a `flow_start` event at `flow.start` with
 * `durationSec` (`flow.end - flow.start`), `bytes`/`packets` sent by the client
 * (`bytes_toserver`, `pkts_toserver`), the TCP flags of both directions and a Zeek-style
 * `connState` (`S0`, `REJ`, `SF`, ...; see {@link eveConnState}). The server name of `tls`,
 * `http` and `dns` records is joined to the flow by `flow_id` into `serverName`. Other event
 * types are counted in `stats.eve.eventTypes` and `stats.skipped.eventTypes`; damaged lines
 * are reported with their line number and counted; reading continues.
 * @example
 * const source = readSuricataEve('/var/log/suricata/eve.json');
 * for await (const batch of source) detector.ingest(batch);
 * console.log(source.stats.events, source.stats.eve?.eventTypes);
 */
export function readSuricataEve(input: SourceInput, options: EveOptions = {}): EventSource {
  return makeSource(input, options, (opened, sink) => readEve(opened, sink, options));
}
