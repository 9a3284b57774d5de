/** Gauges whose cluster value is the largest shard's, not the sum. */
const MAX_FAMILIES = new Set(['beacon_detector_analysis_duration_seconds', 'beacon_detector_alert_queue_fill_percent']);

interface Family {
  name: string;
  head: string[];
  samples: Map<string, number>;
}

function family(into: Map<string, Family>, name: string): Family {
  let f = into.get(name);
  if (!f) into.set(name, (f = { name, head: [], samples: new Map() }));
  return f;
}

function parse(text: string, into: Map<string, Family>): void {
  let current: Family | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (meta) {
      current = family(into, meta[2]!);
      if (current.head.length < 2 && !current.head.includes(line)) current.head.push(line);
      continue;
    }
    if (line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    const key = line.slice(0, cut);
    const value = Number(line.slice(cut + 1));
    // Samples follow their family's HELP/TYPE lines (histogram _bucket/_sum/_count included).
    const f = current ?? family(into, key.replace(/[{].*$/, ''));
    const prev = f.samples.get(key);
    f.samples.set(key, prev === undefined ? value : MAX_FAMILIES.has(f.name) ? Math.max(prev, value) : prev + value);
  }
}

/**
 * Merges Prometheus text expositions of several shards into the one a single node would
 * give: every sample with the same name and labels summed (gauges of durations and fill
 * levels: the largest), families in the order the local answer lists them.
 */
export function mergeMetrics(texts: readonly string[]): string {
  const families = new Map<string, Family>();
  for (const t of texts) parse(t, families);
  const out: string[] = [];
  for (const f of families.values()) {
    out.push(...f.head);
    for (const [k, v] of f.samples) out.push(`${k} ${Number.isInteger(v) ? v : Math.round(v * 1e9) / 1e9}`);
  }
  return `${out.join('\n')}\n`;
}
