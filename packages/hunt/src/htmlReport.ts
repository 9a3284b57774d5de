import { writeFile } from 'node:fs/promises';
import { renderReport, type ReportData, type ReportHistory } from '@beacon/dashboard';
import { eventTime, pairKey, type ConnectionEvent, type Detection } from '@beacon/detector';
import { toBeaconRow } from './beaconRow.js';

/**
 * Keeps the newest `cap` connection starts and bursts (the events the detector times) of every
 * pair, as the hunt reads them, for the report's pair views.
 */
export class HistoryCollector {
  private readonly pairs = new Map<string, { t: number[]; s: number[] }>();
  constructor(private readonly cap: number) {}

  /** Adds a batch of events (flow ends are not timed, so they are skipped). */
  add(events: readonly ConnectionEvent[]): void {
    for (const e of events) {
      if (e.kind === 'flow_end') continue;
      const key = pairKey(e.srcIp, e.dstIp, e.dstPort, e.protocol);
      let h = this.pairs.get(key);
      if (h === undefined) this.pairs.set(key, (h = { t: [], s: [] }));
      h.t.push(eventTime(e));
      h.s.push(e.bytes);
      // trim in chunks, not per event
      if (h.t.length >= this.cap * 2) {
        h.t.splice(0, h.t.length - this.cap);
        h.s.splice(0, h.s.length - this.cap);
      }
    }
  }

  /** The pair's events sorted by time (the newest `cap`). */
  history(key: string): ReportHistory {
    const h = this.pairs.get(key);
    if (h === undefined) return { times: [], sizes: [] };
    const order = h.t.map((_, i) => i).sort((a, b) => (h.t[a] as number) - (h.t[b] as number));
    const from = Math.max(0, order.length - this.cap);
    const keep = order.slice(from);
    return { times: keep.map((i) => Math.round((h.t[i] as number) * 1000) / 1000), sizes: keep.map((i) => h.s[i] as number) };
  }
}

/**
 * Writes `beacon analyze --html`: one self-contained HTML file with the beacons table (the same
 * beacon rows as `--json`) and a pair view (histogram, timeline, sizes, spectrum) for every row.
 */
export async function writeHtmlReport(file: string, rows: readonly Detection[], histories: HistoryCollector, meta: { files: readonly string[] }): Promise<void> {
  const data: ReportData = {
    title: `Beacon hunt report: ${rows.filter((d) => d.isBeacon && !d.benignLabel).length} beacons`,
    generated_at: new Date().toISOString(),
    files: [...meta.files],
    rows: rows.map(toBeaconRow),
    histories: Object.fromEntries(rows.map((d) => [d.pairKey, histories.history(d.pairKey)])),
  };
  await writeFile(file, renderReport(data));
}
