import { NameParse, type NameParseResult } from './nameParse.js';
import { normalizeHostName } from './hostName.js';

/** Most bytes of an HTTP/1.x request head searched for the Host header. */
export const HTTP_HEAD_MAX_BYTES = 4096;
/** Request methods recognised at the start of a flow's first client payload. */
export const HTTP_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const COLON = 0x3a;

/**
 * Finds the Host of an HTTP/1.x request in the first bytes a client sent: the request line must
 * start with a known method and carry `HTTP/1.`; headers are searched (case-insensitively) for
 * `Host`, up to the blank line or {@link HTTP_HEAD_MAX_BYTES}. A port is stripped, an IPv6
 * literal keeps its address without brackets. An absolute-form request target
 * (`GET http://name/ HTTP/1.1`, proxies) gives the name when no Host header does.
 * Never throws and never reads outside `buf[start, end)`.
 */
export function parseHttpHost(buf: Uint8Array, start: number = 0, end: number = buf.length): NameParseResult {
  const lim = Math.min(end, start + HTTP_HEAD_MAX_BYTES);
  const method = matchMethod(buf, start, lim);
  if (method === -1) return { status: NameParse.NotThisProtocol };
  if (method === -2) return { status: NameParse.NeedMore };
  // Request line.
  const lineEnd = indexOfLf(buf, start, lim);
  if (lineEnd === -1) return { status: lim < end || lim - start >= HTTP_HEAD_MAX_BYTES ? NameParse.Malformed : NameParse.NeedMore };
  const line = ascii(buf, start, lineEnd).replace(/\r$/, '');
  const parts = line.split(' ');
  if (parts.length !== 3 || !(parts[2] ?? '').startsWith('HTTP/1.')) return { status: NameParse.NotThisProtocol };
  const target = parts[1] ?? '';
  let p = lineEnd + 1;
  while (p < lim) {
    const e = indexOfLf(buf, p, lim);
    if (e === -1) break;
    const lineLen = e - p - (e > p && buf[e - 1] === CR ? 1 : 0);
    if (lineLen === 0) return fromTarget(target); // end of the head: no Host header
    if (lineLen >= 5 && isHostHeader(buf, p)) {
      const value = ascii(buf, p + 5, p + lineLen);
      return hostValue(value);
    }
    p = e + 1;
  }
  const fromAbs = fromTarget(target);
  if (fromAbs.status === NameParse.Found) return fromAbs;
  return { status: lim - start >= HTTP_HEAD_MAX_BYTES ? NameParse.NoName : NameParse.NeedMore };
}

function fromTarget(target: string): NameParseResult {
  const m = /^https?:\/\/([^/?#]+)/i.exec(target);
  if (m === null) return { status: NameParse.NoName };
  return hostValue(m[1] as string);
}

function hostValue(raw: string): NameParseResult {
  let v = raw.trim();
  const at = v.lastIndexOf('@');
  if (at !== -1) v = v.slice(at + 1);
  if (v.startsWith('[')) {
    const close = v.indexOf(']');
    if (close === -1) return { status: NameParse.Malformed };
    v = v.slice(1, close);
  } else {
    const colon = v.indexOf(':');
    if (colon !== -1) {
      if (!/^\d{1,5}$/.test(v.slice(colon + 1))) return { status: NameParse.Malformed };
      v = v.slice(0, colon);
    }
  }
  const name = normalizeHostName(v);
  return name === undefined ? { status: NameParse.Malformed } : { status: NameParse.Found, name };
}

/** Index past the method and its space, -1 for no method, -2 when the bytes stop inside one. */
function matchMethod(buf: Uint8Array, start: number, lim: number): number {
  for (const m of HTTP_METHODS) {
    let i = 0;
    for (; i < m.length && start + i < lim; i++) if (buf[start + i] !== m.charCodeAt(i)) break;
    if (i === m.length) {
      if (start + i >= lim) return -2;
      if (buf[start + i] === SP) return start + i + 1;
    } else if (start + i >= lim) return -2;
  }
  return -1;
}

function isHostHeader(buf: Uint8Array, p: number): boolean {
  return (
    ((buf[p] as number) | 0x20) === 0x68 &&
    ((buf[p + 1] as number) | 0x20) === 0x6f &&
    ((buf[p + 2] as number) | 0x20) === 0x73 &&
    ((buf[p + 3] as number) | 0x20) === 0x74 &&
    buf[p + 4] === COLON
  );
}

function indexOfLf(buf: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === LF) return i;
  return -1;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i] as number);
  return s;
}
