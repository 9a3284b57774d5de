import type { Detection } from '@beacon/detector';
import type { ZeekLabel } from '@beacon/sources';
import { HuntError } from './huntError.js';
import { readStructured } from './internal/readStructured.js';

/** Canonical address text, or null (the control plane's `canonicalIp`, loaded on first use). */
type CanonicalIp = (text: unknown) => string | null;

/** One ground-truth beacon pair; `protocol` undefined matches any protocol. */
export interface TruthPair {
  srcIp: string;
  dstIp: string;
  dstPort: number;
  protocol?: number;
}

const PROTOCOLS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };

function protocolOf(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) return v;
  if (typeof v === 'string' && v.toLowerCase() in PROTOCOLS) return PROTOCOLS[v.toLowerCase()];
  throw new HuntError('INVALID_TRUTH', `${path}.protocol: must be tcp, udp, icmp, icmpv6 or a protocol number, got ${JSON.stringify(v)}`);
}

function ipOf(v: unknown, path: string, canonicalIp: CanonicalIp): string {
  const ip = canonicalIp(typeof v === 'string' ? v.replace(/^\[|\]$/g, '') : v);
  if (ip === null) throw new HuntError('INVALID_TRUTH', `${path}: must be an IPv4 or IPv6 address, got ${JSON.stringify(v)}`);
  return ip;
}

function portOf(v: unknown, path: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) throw new HuntError('INVALID_TRUTH', `${path}: must be a port 0-65535, got ${JSON.stringify(v)}`);
  return n;
}

/** `src:dst:port[/proto]` (IPv4) or the detector's pair key `src->dst:port/PROTO` (any family). */
function pairFromString(s: string, path: string, ip: CanonicalIp): TruthPair {
  const m = /^(.+?)->(.+):(\d+)(?:\/(\w+))?$/.exec(s.trim()) ?? /^([^:]+):([^:]+):(\d+)(?:\/(\w+))?$/.exec(s.trim());
  if (!m) throw new HuntError('INVALID_TRUTH', `${path}: expected "src:dst:port", "src:dst:port/proto" or "src->dst:port/proto", got ${JSON.stringify(s)}`);
  const pair: TruthPair = { srcIp: ipOf(m[1], `${path} (source)`, ip), dstIp: ipOf(m[2], `${path} (destination)`, ip), dstPort: portOf(m[3], `${path} (port)`) };
  const protocol = protocolOf(m[4], path);
  if (protocol !== undefined) pair.protocol = protocol;
  return pair;
}

function pairFromObject(o: Record<string, unknown>, path: string, ip: CanonicalIp): TruthPair {
  const pair: TruthPair = {
    srcIp: ipOf(o.src_ip ?? o.src, `${path}.src_ip`, ip),
    dstIp: ipOf(o.dst_ip ?? o.dst, `${path}.dst_ip`, ip),
    dstPort: portOf(o.dst_port ?? o.port, `${path}.dst_port`),
  };
  const protocol = protocolOf(o.protocol, path);
  if (protocol !== undefined) pair.protocol = protocol;
  return pair;
}

/**
 * Parses a ground-truth document: a list of beacon pairs, or `{beacons: [...]}` /
 * `{ground_truth: [...]}` (the original replay tool's spellings). Each pair is an object
 * `{src_ip, dst_ip, dst_port, protocol?}` or a string `src:dst:port[/proto]`. An empty list is
 * valid: the traffic holds no beacon. Errors name the field path, e.g. `beacons[2].dst_port`.
 */
export async function parseTruth(doc: unknown, file: string): Promise<TruthPair[]> {
  // The control plane's address rules, loaded only when an evaluation needs them.
  const { canonicalIp: ip } = await import('@beacon/server');
  let list: unknown = doc;
  let base = '';
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const o = doc as Record<string, unknown>;
    base = 'beacons' in o ? 'beacons' : 'ground_truth' in o ? 'ground_truth' : '';
    if (!base) throw new HuntError('INVALID_TRUTH', `${file}: expected a list of beacon pairs, or a "beacons:" or "ground_truth:" list`);
    list = o[base] ?? [];
  }
  if (doc === null || doc === undefined) list = [];
  if (!Array.isArray(list)) throw new HuntError('INVALID_TRUTH', `${file}: ${base || '(document)'} must be a list of beacon pairs`);
  return list.map((item: unknown, i) => {
    const path = `${file}: ${base}[${i}]`;
    if (typeof item === 'string') return pairFromString(item, path, ip);
    if (item && typeof item === 'object' && !Array.isArray(item)) return pairFromObject(item as Record<string, unknown>, path, ip);
    throw new HuntError('INVALID_TRUTH', `${path}: must be an object or a "src:dst:port" string`);
  });
}

/**
 * Reads a ground-truth file (YAML or JSON, see {@link parseTruth}).
 * @throws {@link HuntError} `INVALID_TRUTH` naming the file, line or field path.
 */
export async function loadTruth(file: string): Promise<TruthPair[]> {
  return parseTruth(await readStructured(file, 'INVALID_TRUTH'), file);
}

/** True when the pair (or detection) is in the truth list. */
export function inTruth(truth: readonly TruthPair[], d: Pick<Detection, 'srcIp' | 'dstIp' | 'dstPort' | 'protocol'>): boolean {
  return truth.some((t) => t.srcIp === d.srcIp && t.dstIp === d.dstIp && t.dstPort === d.dstPort && (t.protocol === undefined || t.protocol === d.protocol));
}

const C2_DETAIL = /(^|[^a-z])(c&c|cc|c2|botnet)([^a-z]|$)/i;

/**
 * The label-column rule: a row marks its pair as a beacon when its detailed label names
 * command and control (`CC`, `C&C`, `C2`, `Botnet`, as whole words), or its label does
 * (`...Botnet...`, `...C&C...`), or its label is `Malicious` with no detailed label. A
 * `Malicious` row whose detailed label names something else (Stratosphere's
 * `External-Attack-to-Device`: inbound scans and brute force) is malicious but not a beacon.
 */
export function isBeaconLabel(label: ZeekLabel): boolean {
  if (label.detailedLabel !== undefined && C2_DETAIL.test(label.detailedLabel)) return true;
  if (C2_DETAIL.test(label.label)) return true;
  return /^malicious$/i.test(label.label.trim()) && (label.detailedLabel === undefined || label.detailedLabel.trim() === '');
}
