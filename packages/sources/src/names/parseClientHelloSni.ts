import { NameParse, type NameParseResult } from './nameParse.js';
import { normalizeHostName } from './hostName.js';

/** TLS record content type of a handshake. */
export const TLS_HANDSHAKE = 0x16;
/** Handshake message type of a ClientHello. */
export const TLS_CLIENT_HELLO = 0x01;
/** Extension number of `server_name` (RFC 6066). */
export const TLS_EXT_SERVER_NAME = 0x0000;
/** `host_name` entry type inside the `server_name` extension. */
export const SNI_HOST_NAME = 0x00;
/** Largest TLS record payload allowed (2^14 plus the 2048 bytes of expansion TLS 1.2 permits). */
export const TLS_MAX_RECORD: number = 16384 + 2048;
/**
 * Most bytes of a flow's first client payload worth buffering to find the SNI: one full TLS
 * record (16 KiB and its 5-byte header). A ClientHello with post-quantum key shares is ~1.8 KB
 * and spans two TCP segments; padded or extension-heavy ones are larger.
 */
export const CLIENT_HELLO_MAX_BYTES: number = 16 * 1024 + 5;

const NOT_TLS: NameParseResult = { status: NameParse.NotThisProtocol };
const NEED_MORE: NameParseResult = { status: NameParse.NeedMore };
const NO_NAME: NameParseResult = { status: NameParse.NoName };
const MALFORMED: NameParseResult = { status: NameParse.Malformed };

/**
 * Finds the server name (SNI) in the first bytes a TLS client sent: the ClientHello, possibly
 * cut short (a capture snap length, the first of two TCP segments) or spread over several TLS
 * records. Walks only as far as the `server_name` extension, so a prefix that reaches it is
 * enough. Never throws and never reads outside `buf[start, end)`.
 * @returns `Found` with the name; `NoName` for a complete ClientHello without SNI; `NeedMore`
 *   when the bytes stop before the name; `NotThisProtocol` when they are not a TLS handshake;
 *   `Malformed` when lengths contradict each other or the name has invalid characters.
 */
export function parseClientHelloSni(buf: Uint8Array, start: number = 0, end: number = buf.length): NameParseResult {
  if (end - start < 1) return NEED_MORE;
  if (buf[start] !== TLS_HANDSHAKE) return NOT_TLS;
  if (end - start >= 2 && buf[start + 1] !== 0x03) return NOT_TLS;
  // Reassemble the handshake bytes of consecutive records (rarely more than one).
  const first = recordBody(buf, start, end);
  if (first === undefined) return end - start < 5 ? NEED_MORE : MALFORMED;
  let hs: Uint8Array = buf.subarray(first.bodyStart, first.bodyEnd);
  if (first.complete && first.bodyEnd - first.bodyStart >= 4) {
    const need = 4 + u24(hs, 1);
    let at = first.bodyEnd;
    const parts: Uint8Array[] = [hs];
    let have = hs.length;
    while (have < need && at < end) {
      const next = recordBody(buf, at, end);
      if (next === undefined || buf[at] !== TLS_HANDSHAKE) break;
      parts.push(buf.subarray(next.bodyStart, next.bodyEnd));
      have += next.bodyEnd - next.bodyStart;
      if (!next.complete) break;
      at = next.bodyEnd;
    }
    if (parts.length > 1) hs = concat(parts, have);
  }
  return parseHandshake(hs);
}

interface RecordSpan {
  bodyStart: number;
  bodyEnd: number;
  /** Whether the whole record body is within the buffer. */
  complete: boolean;
}

function recordBody(buf: Uint8Array, at: number, end: number): RecordSpan | undefined {
  if (end - at < 5) return undefined;
  const len = u16(buf, at + 3);
  if (len === 0 || len > TLS_MAX_RECORD) return undefined;
  const bodyStart = at + 5;
  const bodyEnd = Math.min(end, bodyStart + len);
  return { bodyStart, bodyEnd, complete: bodyStart + len <= end };
}

function parseHandshake(hs: Uint8Array): NameParseResult {
  const n = hs.length;
  if (n < 1) return NEED_MORE;
  if (hs[0] !== TLS_CLIENT_HELLO) return NOT_TLS;
  if (n < 4) return NEED_MORE;
  const msgEnd = 4 + u24(hs, 1);
  if (msgEnd - 4 < 38) return MALFORMED;
  const lim = Math.min(n, msgEnd);
  // version (2) + random (32)
  let p = 4 + 34;
  if (p + 1 > lim) return needOr(n, msgEnd);
  p += 1 + (hs[p] as number); // session id
  if (p + 2 > lim) return needOr(n, msgEnd);
  p += 2 + u16(hs, p); // cipher suites
  if (p + 1 > lim) return needOr(n, msgEnd);
  p += 1 + (hs[p] as number); // compression methods
  if (p > msgEnd) return MALFORMED;
  if (p === msgEnd) return NO_NAME; // no extensions at all
  if (p + 2 > lim) return needOr(n, msgEnd);
  const extEnd = p + 2 + u16(hs, p);
  if (extEnd > msgEnd) return MALFORMED;
  p += 2;
  while (p < extEnd) {
    if (p + 4 > lim) return needOr(n, msgEnd);
    const type = u16(hs, p);
    const len = u16(hs, p + 2);
    p += 4;
    if (p + len > extEnd) return MALFORMED;
    if (type === TLS_EXT_SERVER_NAME) {
      if (p + len > n) return NEED_MORE;
      return serverName(hs, p, p + len);
    }
    p += len;
  }
  return NO_NAME;
}

function serverName(hs: Uint8Array, p: number, end: number): NameParseResult {
  if (p + 2 > end) return MALFORMED;
  const listEnd = p + 2 + u16(hs, p);
  if (listEnd > end) return MALFORMED;
  p += 2;
  while (p + 3 <= listEnd) {
    const type = hs[p] as number;
    const len = u16(hs, p + 1);
    p += 3;
    if (p + len > listEnd) return MALFORMED;
    if (type === SNI_HOST_NAME) {
      const name = normalizeHostName(latin1(hs, p, p + len));
      return name === undefined ? MALFORMED : { status: NameParse.Found, name };
    }
    p += len;
  }
  return NO_NAME;
}

function needOr(have: number, msgEnd: number): NameParseResult {
  return have < msgEnd ? NEED_MORE : MALFORMED;
}

function u16(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

function u24(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number);
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i] as number);
  return s;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}
