const KEY = Buffer.from('"event_type"');

/**
 * True when the content's first non-blank line is a JSON object with an `event_type` key:
 * Suricata EVE. (Zeek JSON lines have `ts` and `id.orig_h`, never `event_type`.)
 */
export function sniffEve(head: Buffer): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] !== 0x7b) return false;
  let end = head.indexOf(10, i);
  if (end < 0) end = head.length;
  const k = head.indexOf(KEY, i);
  return k >= 0 && k < end;
}
