import type { ReportData } from '../reportData.js';
import { Api, ApiError } from './internal/api.js';
import { h } from './internal/dom.js';
import { count, timestamp } from './internal/format.js';
import { allowlistRule, fromBeaconItem, fromReportRow, type BeaconItemLike, type PairEvents, type Row } from './internal/model.js';
import { openEventStream, type StreamState } from './internal/eventStream.js';
import { DEFAULT_QUERY } from './internal/rowQuery.js';
import { AlertsView, type AlertLike } from './views/alertsView.js';
import { BeaconTable } from './views/beaconTable.js';
import { Filters } from './views/filters.js';
import { LongConnectionsView, type LongConnectionLike } from './views/longConnectionsView.js';
import { Overview, type StatsSample } from './views/overview.js';
import { renderPairView, type PairActions } from './views/pairView.js';
import { askToken } from './views/tokenPrompt.js';

/** Timings the browser tests and the benchmark read (`window.__beacon`). */
export interface AppProbe {
  mode: 'live' | 'report';
  /** performance.now() when the app started (ms since navigation). */
  startedAt: number;
  /** performance.now() when the table first showed rows (ms since navigation). */
  firstTableRenderAt: number | null;
  /** Time to build the last pair view, ms (data already in hand). */
  lastPairRenderMs: number | null;
  /** Rows in the table after filtering, in display order (keys). */
  visibleKeys(): string[];
  /** Opens a pair by key. */
  openPair(key: string): Promise<void>;
}

declare global {
  interface Window {
    __beacon?: AppProbe;
  }
}

interface Source {
  rows(): Promise<Row[]>;
  events(row: Row): Promise<PairEvents>;
  actions: PairActions;
}

/** Reads the report data embedded in the page, or null in the live dashboard. */
function embeddedReport(): ReportData | null {
  const el = document.getElementById('beacon-report');
  return el?.textContent ? (JSON.parse(el.textContent) as ReportData) : null;
}

/** Starts the dashboard (live, against the page's own control plane) or the offline report. */
export function startApp(root: HTMLElement): void {
  const startedAt = performance.now();
  const report = embeddedReport();
  const probe: AppProbe = { mode: report ? 'report' : 'live', startedAt, firstTableRenderAt: null, lastPairRenderMs: null, visibleKeys: () => [], openPair: async () => {} };
  window.__beacon = probe;

  const statusBadge = h('span', { class: 'conn', role: 'status' }, report ? 'offline report' : 'connecting…');
  const tokenButton = report ? null : h('button', { type: 'button', class: 'ghost', onclick: () => void askToken('Enter the API token to use for this tab.').then(() => reload()) }, 'API token');
  const subtitle = report ? `${report.title} · generated ${report.generated_at} · ${report.files.join(', ')}` : 'live control plane';
  const shownText = h('span', { class: 'muted', 'aria-live': 'polite' });
  const pairHost = h('section', { class: 'pair', id: 'pair', 'aria-label': 'Pair view' }, h('p', { class: 'muted' }, 'Select a row (click, or Enter on a focused row) to see its pair view.'));

  const api = new Api(() => void askToken('The control plane needs an API token for this request.').then(() => reload()));
  let source: Source;
  if (report) {
    const rows = report.rows.map(fromReportRow);
    source = {
      rows: async () => rows,
      events: async (row) => report.histories[row.key] ?? { times: [], sizes: [] },
      actions: {},
    };
  } else {
    source = {
      rows: async () => (await api.json<{ beacons: BeaconItemLike[] }>('/api/v1/beacons?limit=100000')).beacons.map(fromBeaconItem),
      events: async (row) => {
        const p = await api.json<{ events: PairEvents }>(`/api/v1/pairs/${encodeURIComponent(row.key)}`);
        return p.events;
      },
      actions: { allowlist: (row) => allowlist(api, row).then(async (msg) => (await reload(), msg)) },
    };
  }

  let openKey: string | null = null;
  const table = new BeaconTable(
    DEFAULT_QUERY,
    (row) => void openPair(row),
    (shown, total) => {
      shownText.textContent = shown === total ? `${count(total)} pairs` : `${count(shown)} of ${count(total)} pairs`;
    },
  );
  const filters = new Filters((q) => table.setQuery(q));
  probe.visibleKeys = () => table.visibleRows.map((r) => r.key);

  async function openPair(row: Row): Promise<void> {
    openKey = row.key;
    table.select(row.key);
    pairHost.setAttribute('aria-busy', 'true');
    try {
      const events = await source.events(row);
      if (openKey !== row.key) return;
      probe.lastPairRenderMs = renderPairView(pairHost, row, events, source.actions);
      (pairHost.querySelector('#pair-title') as HTMLElement | null)?.focus({ preventScroll: true });
      pairHost.scrollIntoView({ block: 'nearest' });
    } catch (error) {
      pairHost.replaceChildren(h('p', { class: 'error' }, error instanceof ApiError && error.status === 404 ? `${row.key} is no longer tracked.` : String(error)));
    } finally {
      pairHost.removeAttribute('aria-busy');
    }
  }
  probe.openPair = async (key) => {
    const row = table.visibleRows.find((r) => r.key === key);
    if (row) await openPair(row);
  };

  async function reload(): Promise<void> {
    try {
      const rows = await source.rows();
      filters.update(rows);
      table.setRows(rows);
      if (probe.firstTableRenderAt === null && rows.length > 0) probe.firstTableRenderAt = performance.now();
    } catch (error) {
      shownText.textContent = error instanceof Error ? error.message : String(error);
    }
  }

  const layout = h(
    'div',
    { class: 'layout' },
    h('header', { class: 'top' }, h('h1', {}, 'Beacon'), h('span', { class: 'muted' }, subtitle), h('span', { class: 'spacer-x' }), statusBadge, tokenButton ?? ''),
  );
  const main = h('main', {});
  layout.append(main);
  if (!report) main.append(new OverviewHost(statusBadge, reload).overview.element);
  main.append(
    h('div', { class: 'columns' }, h('section', { class: 'beacons panel', 'aria-labelledby': 'beacons-h' }, h('div', { class: 'panel-head' }, h('h2', { id: 'beacons-h' }, 'Beacons'), shownText), filters.element, table.element), pairHost),
  );
  root.replaceChildren(layout);
  void reload();
  if (!report) {
    const alerts = new AlertsView((key) => void probe.openPair(key));
    const longConns = new LongConnectionsView();
    main.append(h('div', { class: 'columns two' }, alerts.element, longConns.element));
    const refreshSide = async (): Promise<void> => {
      try {
        alerts.add([...(await api.json<{ alerts: AlertLike[] }>('/api/v1/alerts?limit=50')).alerts].reverse());
        longConns.set((await api.json<{ connections: LongConnectionLike[] }>('/api/v1/long-connections?limit=20')).connections);
      } catch {
        // the status badge and the table already say what is wrong
      }
    };
    void refreshSide();
    liveHandlers.alert = (a) => alerts.add([a]);
    liveHandlers.analysis = () => {
      void reload();
      void api.json<{ connections: LongConnectionLike[] }>('/api/v1/long-connections?limit=20').then((r) => longConns.set(r.connections), () => {});
    };
  }
  const hash = decodeURIComponent(location.hash.replace(/^#pair=/, ''));
  if (hash && hash !== location.hash) void reload().then(() => probe.openPair(hash));
}

const liveHandlers: { alert?: (a: AlertLike) => void; analysis?: () => void } = {};

/** The overview fed by the live stream, and the stream's status badge. */
class OverviewHost {
  readonly overview = new Overview();
  constructor(badge: HTMLElement, reload: () => Promise<void>) {
    const show = (s: StreamState): void => {
      badge.dataset.state = s.state;
      badge.textContent =
        s.state === 'open' ? '● live' : s.state === 'connecting' ? 'connecting…' : s.state === 'unauthorized' ? 'needs API token' : `reconnecting in ${Math.round(s.inMs / 1000)} s (${s.reason})`;
      if (s.state === 'unauthorized') void askToken('The live stream needs an API token.').then(() => location.reload());
    };
    openEventStream({
      url: '/api/v1/stream',
      onState: show,
      onMessage: (m) => {
        try {
          const data: unknown = JSON.parse(m.data);
          if (m.event === 'stats') this.overview.push(data as StatsSample);
          else if (m.event === 'alert') liveHandlers.alert?.(data as AlertLike);
          else if (m.event === 'analysis') (liveHandlers.analysis ?? (() => void reload()))();
        } catch {
          // a malformed event is skipped; the next one carries on
        }
      },
    });
  }
}

/**
 * Adds the pair to `whitelist.pairs` through the config API (GET, then POST the longer list)
 * and says what changed.
 */
async function allowlist(api: Api, row: Row): Promise<string> {
  const rule = allowlistRule(row);
  const config = await api.json<{ whitelist: { pairs: string[] } }>('/api/v1/config');
  const before = config.whitelist.pairs;
  if (before.includes(rule)) return `whitelist.pairs already has "${rule}"; nothing changed.`;
  const after = [...before, rule];
  const res = await api.json<{ config: { whitelist: { pairs: string[] } } }>('/api/v1/config', { method: 'POST', body: { whitelist: { pairs: after } } });
  const n = res.config.whitelist.pairs.length;
  return `Added "${rule}" to whitelist.pairs (${before.length} → ${n} ${n === 1 ? 'entry' : 'entries'}) at ${timestamp(Date.now() / 1000)}. The pair's history was dropped and it is no longer scored or alerted on. Remove it with POST /api/v1/config or in the config file.`;
}
