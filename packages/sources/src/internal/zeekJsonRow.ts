import type { ConnectionEvent } from '@beacon/detector';
import { parseTimeText, type TimeOut } from './decimal.js';
import { MAX_DURATION_SECONDS, MAX_EPOCH_SECONDS } from './timeBounds.js';
import { canonicalIp } from '@beacon/detector';
import { historyFlags, zeekDirection, zeekEvent, zeekFailed, zeekProtocol } from './zeekEvent.js';

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9})\d*)?(Z|[+-]\d\d:?\d\d)?$/;

/** `ts` as epoch seconds (number or decimal text) or ISO 8601 text, split exactly. */
function parseTs(ts: unknown, out: TimeOut): boolean {
  if (typeof ts === 'number') {
    // The shortest round-trip text of the double is the decimal Zeek wrote (up to 16 digits).
    return Number.isFinite(ts) && ts >= 0 && parseTimeText(String(ts), out);
  }
  if (typeof ts !== 'string') return false;
  if (parseTimeText(ts, out)) return true;
  const m = ISO.exec(ts);
  if (m === null) return false;
  const ms = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (Number.isNaN(ms)) return false;
  out.sec = Math.floor(ms / 1000);
  out.nsec = m[2] === undefined ? 0 : Number(m[2].padEnd(9, '0'));
  return true;
}

function count(v: unknown): number {
  if (v === undefined || v === null || v === '-') return 0;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : -1;
}

function port(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : -1;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Parses JSON-lines rows (Zeek's `LogAscii::use_json`), keys as Zeek writes them (`id.orig_h`). */
export class JsonRowParser {
  error = '';
  label: string | undefined;
  detailedLabel: string | undefined;
  /** `uid` of the last row, when present. */
  uid: string | undefined;
  unknownProtocol = false;
  private readonly node: string;
  private readonly time: TimeOut = { sec: 0, nsec: 0 };

  constructor(node: string) {
    this.node = node;
  }

  private fail(msg: string): undefined {
    this.error = msg;
    return undefined;
  }

  parse(buf: Buffer, start: number, end: number): ConnectionEvent | undefined {
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(buf.toString('utf8', start, end)) as Record<string, unknown>;
    } catch (err) {
      return this.fail(`bad JSON: ${(err as Error).message}`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return this.fail('not a JSON object');
    this.unknownProtocol = false;
    if (!parseTs(row.ts, this.time)) return this.fail('bad ts');
    if (this.time.sec > MAX_EPOCH_SECONDS) return this.fail(`ts beyond ${MAX_EPOCH_SECONDS} (year 5138)`);
    const srcText = str(row['id.orig_h']);
    const dstText = str(row['id.resp_h']);
    const srcIp = srcText === undefined ? undefined : canonicalIp(srcText);
    const dstIp = dstText === undefined ? undefined : canonicalIp(dstText);
    if (srcIp === undefined) return this.fail('bad id.orig_h');
    if (dstIp === undefined) return this.fail('bad id.resp_h');
    const srcPort = port(row['id.orig_p']);
    const dstPort = port(row['id.resp_p']);
    if (srcPort < 0 || dstPort < 0) return this.fail('bad port');
    const bytes = count(row.orig_bytes);
    const packets = count(row.orig_pkts);
    if (bytes < 0) return this.fail('bad orig_bytes');
    if (packets < 0) return this.fail('bad orig_pkts');
    const d = row.duration;
    if (d !== undefined && d !== null && (typeof d !== 'number' || !(d >= 0))) return this.fail('bad duration');
    if (typeof d === 'number' && d > MAX_DURATION_SECONDS) return this.fail(`duration beyond ${MAX_DURATION_SECONDS} s (ten years)`);
    this.uid = str(row.uid);
    this.label = str(row.label);
    this.detailedLabel = str(row.detailedlabel ?? row['detailed-label'] ?? row.detailed_label);
    const protocol = zeekProtocol(str(row.proto) ?? '', srcIp.includes(':'));
    if (protocol < 0) {
      this.unknownProtocol = true;
      return undefined;
    }
    const history = str(row.history) ?? '';
    const flags = protocol === 6 ? historyFlags(history, 0, history.length) : 0;
    const lo = row.local_orig;
    const lr = row.local_resp;
    const localOrig = typeof lo === 'boolean' ? lo : undefined;
    const localResp = typeof lr === 'boolean' ? lr : undefined;
    const direction = zeekDirection(localOrig, localResp);
    const respBytes = count(row.resp_bytes);
    const failed = protocol === 6 ? zeekFailed(str(row.conn_state), bytes, respBytes < 0 ? 1 : respBytes) : undefined;
    const t = this.time;
    const duration = typeof d === 'number' ? d : -1;
    return zeekEvent(t.sec, t.nsec, srcIp, dstIp, srcPort, dstPort, protocol, direction, bytes, packets, flags, this.node, duration, localOrig, localResp, failed);
  }
}
