import { BytePattern } from './bytePattern.js';

const MAX_NAME = 255;

function clean(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const name = v.trim().replace(/\.$/, '').toLowerCase();
  return name === '' || name.length > MAX_NAME ? undefined : name;
}

function firstRrname(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const item of list) {
    const name = clean((item as { rrname?: unknown } | null)?.rrname);
    if (name !== undefined) return name;
  }
  return undefined;
}

/**
 * The server name an app-layer record carries: `tls.sni`, `http.hostname`, or for `dns` the
 * query name (EVE DNS v2 `dns.rrname`; v3 of Suricata 8 `dns.queries[].rrname`; else the first
 * answer's `rrname`). Lower-cased, trailing dot removed.
 */
export function eveName(eventType: string, row: Record<string, unknown>): string | undefined {
  const obj = row[eventType] as Record<string, unknown> | undefined;
  if (typeof obj !== 'object' || obj === null) return undefined;
  switch (eventType) {
    case 'tls':
      return clean(obj.sni);
    case 'http':
      return clean(obj.hostname);
    case 'dns':
      return clean(obj.rrname) ?? firstRrname(obj.queries) ?? firstRrname(obj.answers);
    default:
      return undefined;
  }
}

/** Per event type: the compact key of its name, and the key alone (to tell a spaced-out record). */
const NAME_KEYS: Record<string, [BytePattern, BytePattern]> = {
  tls: [new BytePattern('"sni":"'), new BytePattern('"sni"')],
  http: [new BytePattern('"hostname":"'), new BytePattern('"hostname"')],
  dns: [new BytePattern('"rrname":"'), new BytePattern('"rrname"')],
};

/**
 * {@link eveName} read from the line's bytes without parsing it: the first `"sni":"`,
 * `"hostname":"` or `"rrname":"` (in a Suricata record the query name comes before the answers).
 * `undefined` when the line has none; `null` when the value holds an escape or the line does not
 * look compact, so the caller parses it instead.
 */
export function eveNameFromBytes(eventType: string, buf: Buffer, start: number, end: number): string | null | undefined {
  const keys = NAME_KEYS[eventType];
  if (keys === undefined) return undefined;
  const [compact, bare] = keys;
  const at = compact.find(buf, start, end);
  if (at < 0) {
    // No compact key: either there is no name, or it is written with spaces (parse it then).
    return bare.find(buf, start, end) >= 0 ? null : undefined;
  }
  const from = at + compact.bytes.length;
  let i = from;
  while (i < end && buf[i] !== 0x22) {
    if (buf[i] === 0x5c) return null;
    i++;
  }
  if (i >= end) return null;
  return clean(buf.toString('utf8', from, i)) ?? undefined;
}
