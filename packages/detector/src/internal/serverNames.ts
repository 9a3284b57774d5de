import { parseIp } from './ip.js';

/** Most addresses a name-keyed pair lists (`dst_ips`); further ones are not recorded. */
export const MAX_NAME_ADDRESSES = 64;

const NAME_RE = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** Longest server name an event may carry. */
export const MAX_SERVER_NAME_LENGTH = 255;

/**
 * Whether `s` may be an event's server name: 1-255 characters, each an ASCII letter, digit,
 * `-`, `.`, `_`, `:` or `*` (what a TLS SNI, HTTP Host or DNS name reduces to once read).
 * Control characters (tab, newline, NUL, ...), spaces and anything else are refused: a name
 * ends up in pair keys, store rows, CSV and terminal tables. One pass, no allocation.
 */
export function isServerNameText(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const n = s.length;
  if (n === 0 || n > MAX_SERVER_NAME_LENGTH) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // a-z, A-Z (bit 0x20 folds case), 0-9, '-', '.', '_', ':', '*'
    const l = c | 0x20;
    if ((l >= 0x61 && l <= 0x7a) || (c >= 0x30 && c <= 0x3a) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x2a) continue;
    return false;
  }
  return true;
}

/** Whether `s` is a host name (or, with `wildcard`, a `*.suffix` pattern) a name pair can use. */
export function isServerName(s: string, wildcard = false): boolean {
  if (s.length === 0 || s.length > 253 || (!wildcard && s.startsWith('*'))) return false;
  return NAME_RE.test(s.toLowerCase());
}

/**
 * Whether an event's server name can key a pair: not an address literal (an HTTP Host or SNI
 * that is just the destination address would duplicate the address pair) and not the
 * destination address itself. Cheap for ordinary names: `parseIp` only runs on names that start
 * with a digit or hold a colon.
 */
export function keyableName(name: string, dstIp: string): boolean {
  if (name === dstIp || name.length === 0) return false;
  const c = name.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || name.includes(':')) return parseIp(name) === null && !name.includes(':');
  return true;
}

/**
 * A compiled list of server names and wildcard suffixes (`*.windowsupdate.com` matches every name
 * below windowsupdate.com, not the bare domain). Case-insensitive; a trailing dot is ignored.
 */
export class NameSet {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];
  readonly empty: boolean;

  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      const p = raw.toLowerCase().replace(/\.$/, '');
      if (p.startsWith('*.')) this.suffixes.push(p.slice(1));
      else this.exact.add(p);
    }
    this.empty = this.exact.size === 0 && this.suffixes.length === 0;
  }

  /** Whether `name` (lower case) is listed or falls under a wildcard suffix. */
  has(name: string): boolean {
    if (this.empty) return false;
    if (this.exact.has(name)) return true;
    for (const s of this.suffixes) if (name.length > s.length && name.endsWith(s)) return true;
    return false;
  }
}
