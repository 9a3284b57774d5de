import { parseIp } from './ip.js';

/** Most addresses a name-keyed pair lists (`dst_ips`); further ones are not recorded. */
export const MAX_NAME_ADDRESSES = 64;

const NAME_RE = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

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
