import { MAX_NAME_LENGTH } from './nameParse.js';

/**
 * Normalises a server name taken from the wire or a log: lower case, no trailing dot.
 * Returns undefined when it is empty, longer than 253 characters, or holds a character that
 * no host name or address literal has (only letters, digits, `-`, `_`, `.`, `:` and `*` pass;
 * `*` only so allowlist patterns can share the function).
 */
export function normalizeHostName(raw: string): string | undefined {
  let s = raw.trim().toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.length === 0 || s.length > MAX_NAME_LENGTH) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x3a || c === 0x2a;
    if (!ok) return undefined;
  }
  return s;
}
