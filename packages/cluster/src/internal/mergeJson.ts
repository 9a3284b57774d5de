/** Keys whose value is a setting or this shard's own fact: the local answer's is kept. */
const KEEP = new Set(['analysis_interval', 'retention_seconds', 'queue_capacity', 'uptime_seconds', 'start_time', 'whitelist_rules', 'system', 'channels', 'enabled', 'status', 'cluster', 'sinks_configured']);
/** Keys where the cluster's value is the largest shard's. */
const MAX = new Set(['queue_fill_percent', 'fill_percent', 'last_analysis_seconds', 'duration_seconds']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Adds up the counters of several shards' status-like answers, key by key: numbers are
 * summed (pairs, events, alerts: each shard counts its own partitions, so the sum is the
 * cluster's), settings and per-process facts (`KEEP`) are the local answer's, fill levels
 * the largest, `running` true only if true everywhere, `backpressure` true if anywhere.
 */
export function sumDeep(local: Json, others: readonly Json[], key = ''): Json {
  if (KEEP.has(key)) return local;
  if (typeof local === 'number') {
    let v = local;
    for (const o of others) if (typeof o === 'number') v = MAX.has(key) ? Math.max(v, o) : v + o;
    return Math.round(v * 1e6) / 1e6;
  }
  if (typeof local === 'boolean') {
    if (key === 'backpressure' || key.endsWith('_backpressure')) return others.reduce<boolean>((a, o) => a || o === true, local);
    return others.reduce<boolean>((a, o) => a && o !== false, local);
  }
  if (local === null || typeof local !== 'object' || Array.isArray(local)) return local;
  const out: { [k: string]: Json } = {};
  const keys = new Set(Object.keys(local));
  for (const o of others) if (o && typeof o === 'object' && !Array.isArray(o)) for (const k of Object.keys(o)) keys.add(k);
  for (const k of keys) {
    const mine = (local as Record<string, Json>)[k];
    const theirs = others.map((o) => (o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, Json>)[k] : undefined)).filter((x): x is Json => x !== undefined);
    if (mine === undefined) {
      // a counter only other shards have (a rejection reason seen there only)
      const [first, ...rest] = theirs;
      if (first !== undefined) out[k] = sumDeep(first, rest, k);
    } else out[k] = sumDeep(mine, theirs, k);
  }
  return out;
}

/** How one listing route sorts, and its default limit (as the single-process route does). */
export interface ListingOrder {
  /** The array field of the answer. */
  field: string;
  defaultLimit: number;
  compare: (a: Record<string, Json>, b: Record<string, Json>) => number;
}

const num = (v: Json | undefined): number => (typeof v === 'number' ? v : 0);
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');

/** The listings merged by {@link mergeListing}, by path. */
export const LISTINGS: Readonly<Record<string, ListingOrder>> = {
  '/api/v1/beacons': { field: 'beacons', defaultLimit: 50, compare: (a, b) => num(b.combined_score) - num(a.combined_score) || str(a.pair_key).localeCompare(str(b.pair_key)) },
  '/api/v1/alerts': { field: 'alerts', defaultLimit: 50, compare: (a, b) => str(b.timestamp).localeCompare(str(a.timestamp)) || str(a.alert_id).localeCompare(str(b.alert_id)) },
  '/api/v1/connections': { field: 'pairs', defaultLimit: 100, compare: (a, b) => num(b.connection_count) - num(a.connection_count) || str(a.pair_key).localeCompare(str(b.pair_key)) },
  '/api/v1/long-connections': { field: 'connections', defaultLimit: 50, compare: (a, b) => num(b.duration_seconds) - num(a.duration_seconds) || str(a.pair_key).localeCompare(str(b.pair_key)) },
};

/**
 * Merges the shards' answers to one listing: all items, sorted as one node sorts them, cut
 * at the request's `limit` (each shard already returned at most that many, so the first
 * `limit` of the union are the cluster's first `limit`).
 */
export function mergeListing(order: ListingOrder, answers: readonly Json[], limitParam: string | null): { [k: string]: Json } {
  const items: Record<string, Json>[] = [];
  for (const a of answers) {
    const list = a && typeof a === 'object' && !Array.isArray(a) ? a[order.field] : undefined;
    if (Array.isArray(list)) for (const x of list) if (x && typeof x === 'object' && !Array.isArray(x)) items.push(x);
  }
  items.sort(order.compare);
  const limit = limitParam === null || limitParam.trim() === '' ? order.defaultLimit : Number(limitParam);
  const kept = items.slice(0, Number.isFinite(limit) ? limit : order.defaultLimit);
  return { count: kept.length, [order.field]: kept };
}

/** The run of `POST /api/v1/analyze` on every shard: counters summed, beacons found merged (highest score first). */
export function mergeAnalyze(answers: readonly Json[]): Json {
  const [first, ...rest] = answers;
  if (first === undefined) return null;
  const merged = sumDeep(first, rest) as Record<string, Json>;
  const found: Record<string, Json>[] = [];
  for (const a of answers) {
    const list = a && typeof a === 'object' && !Array.isArray(a) ? a.beacons_found : undefined;
    if (Array.isArray(list)) for (const x of list) if (x && typeof x === 'object' && !Array.isArray(x)) found.push(x);
  }
  found.sort(LISTINGS['/api/v1/beacons']!.compare);
  merged.beacons_found = found;
  return merged;
}

export type { Json };
