import type { Row } from './model.js';

/** Columns the table can sort by. */
export type SortKey = 'score' | 'severity' | 'src' | 'dst' | 'port' | 'proto' | 'conns' | 'interval' | 'kind' | 'direction' | 'lastSeen';

/** Filters and sort order of the beacons table. */
export interface RowQuery {
  /** Severity band, or '' for all. */
  severity: string;
  /** Kind, or '' for all. */
  kind: string;
  /** Direction, or '' for all. */
  direction: string;
  /** Case-insensitive text matched against addresses, port, key, kind, reason and benign label. */
  text: string;
  sort: SortKey;
  descending: boolean;
}

/** The default query: everything, highest score first. */
export const DEFAULT_QUERY: RowQuery = { severity: '', kind: '', direction: '', text: '', sort: 'score', descending: true };

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

function value(r: Row, key: SortKey): number | string {
  switch (key) {
    case 'severity':
      return SEVERITY_RANK[r.severity] ?? 0;
    case 'interval':
      return r.interval ?? -1;
    case 'kind':
      return r.kind ?? '';
    case 'direction':
      return r.direction ?? '';
    default:
      return r[key];
  }
}

/** Lower-cased text a row matches against, built once per row. */
const haystacks = new WeakMap<Row, string>();
function haystack(r: Row): string {
  let h = haystacks.get(r);
  if (h === undefined) {
    h = [r.key, r.src, r.dst, String(r.port), r.proto, r.kind ?? '', r.direction ?? '', r.reason ?? '', r.benign ?? ''].join(' ').toLowerCase();
    haystacks.set(r, h);
  }
  return h;
}

/**
 * Applies the filters, then sorts (ties keep the higher score first; by score, benign-labelled
 * pairs come last). Returns a new array.
 */
export function queryRows(rows: readonly Row[], q: RowQuery): Row[] {
  const text = q.text.trim().toLowerCase();
  const out = rows.filter(
    (r) =>
      (q.severity === '' || r.severity === q.severity) &&
      (q.kind === '' || r.kind === q.kind) &&
      (q.direction === '' || r.direction === q.direction) &&
      (text === '' || haystack(r).includes(text)),
  );
  const sign = q.descending ? -1 : 1;
  out.sort((a, b) => {
    // by score, pairs a benign baseline explains (NTP, multicast) go below the rest, as in `beacon analyze`
    if (q.sort === 'score' && (a.benign === null) !== (b.benign === null)) return a.benign === null ? -1 : 1;
    const va = value(a, q.sort);
    const vb = value(b, q.sort);
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c !== 0 ? sign * c : b.score - a.score;
  });
  return out;
}

/** The distinct non-empty values of a field, sorted: the options of a filter. */
export function distinct(rows: readonly Row[], field: 'kind' | 'direction'): string[] {
  const s = new Set<string>();
  for (const r of rows) {
    const v = r[field];
    if (v) s.add(v);
  }
  return [...s].sort();
}
