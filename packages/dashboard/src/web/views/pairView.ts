import { DEFAULT_WEIGHTS } from '@beacon/scoring';
import { histogramChart } from '../charts/histogramChart.js';
import { sizesChart } from '../charts/sizesChart.js';
import { spectrumChart } from '../charts/spectrumChart.js';
import { timeline } from '../charts/timeline.js';
import { h } from '../internal/dom.js';
import { bytes, duration, percent, timestamp } from '../internal/format.js';
import { intervalsOf } from '../internal/histogram.js';
import type { PairEvents, Row } from '../internal/model.js';
import { eventSpectrum } from '../internal/spectrum.js';

const COMPONENTS = [
  ['cv', 'Interval regularity (CV)'],
  ['periodicity', 'Periodicity of the event train'],
  ['jitter', 'Jitter'],
  ['size', 'Payload size regularity'],
] as const;

/** Actions the pair view offers (live only). */
export interface PairActions {
  /** Allowlists the pair; resolves to a sentence saying what changed. */
  allowlist?: (row: Row) => Promise<string>;
}

function figure(id: string, title: string, caption: string, chart: HTMLElement): HTMLElement {
  return h('figure', { class: 'chart', id }, h('h4', {}, title), chart, h('figcaption', {}, caption));
}

/**
 * Renders the pair view of one row: header, first/last seen, the four component scores with
 * the explanation, the interval histogram (log x, period marked), the event timeline, payload
 * sizes over time and the spectrum of the event train. Returns the time taken to render, ms.
 */
export function renderPairView(host: HTMLElement, row: Row, events: PairEvents, actions: PairActions): number {
  const started = performance.now();
  const width = Math.max(280, Math.floor(host.clientWidth || 640) - 32);
  const intervals = intervalsOf(events.times);
  const weights = row.weights ?? DEFAULT_WEIGHTS;

  const scores = h(
    'dl',
    { class: 'components' },
    ...COMPONENTS.flatMap(([k, label]) => {
      const v = row.components[k];
      return [
        h('dt', {}, `${label}`, h('span', { class: 'weight' }, ` × ${weights[k].toFixed(2)}`)),
        h('dd', {}, h('meter', { min: 0, max: 1, value: v, 'aria-label': `${label} score` }), h('span', { class: 'val' }, v.toFixed(2))),
      ];
    }),
  );

  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const allowlist = actions.allowlist;
  const button = allowlist
    ? h('button', {
        type: 'button',
        class: 'danger',
        id: 'allowlist',
        onclick: async () => {
          button!.disabled = true;
          status.textContent = 'Allowlisting…';
          try {
            status.textContent = await allowlist(row);
          } catch (error) {
            status.textContent = error instanceof Error ? error.message : String(error);
            button!.disabled = false;
          }
        },
      }, 'Allowlist this pair')
    : null;

  const hist = h('div', { class: 'plot' });
  const tl = h('div', { class: 'plot' });
  const sizes = h('div', { class: 'plot' });
  const spec = h('div', { class: 'plot' });
  const sev = row.benign ? `benign (${row.benign})` : row.severity;
  host.replaceChildren(
    h(
      'header',
      { class: 'pair-head' },
      h('h3', { id: 'pair-title', tabindex: -1 }, `${row.src} → ${row.dst}:${row.port}/${row.proto}`),
      h('span', { class: `badge sev-${row.benign ? 'benign' : row.severity}` }, `${sev} · ${percent(row.score)}`),
      button ?? '',
    ),
    status,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'First seen'),
      h('dd', {}, timestamp(row.firstSeen)),
      h('dt', {}, 'Last seen'),
      h('dd', {}, timestamp(row.lastSeen)),
      h('dt', {}, 'Connections'),
      h('dd', {}, String(row.conns)),
      h('dt', {}, 'Period'),
      h('dd', {}, duration(row.interval)),
      ...(row.kind ? [h('dt', {}, 'Kind'), h('dd', {}, row.kind)] : []),
      ...(row.direction ? [h('dt', {}, 'Direction'), h('dd', {}, row.direction)] : []),
      ...(row.reason ? [h('dt', {}, 'Reason'), h('dd', {}, row.reason)] : []),
    ),
    h('section', { class: 'explain', 'aria-label': 'Component scores' }, scores, h('p', { class: 'summary' }, row.summary || 'No explanation recorded.')),
    h('div', { class: 'charts' }),
  );
  const charts = host.querySelector('.charts') as HTMLElement;
  const histFig = figure('histogram', 'Interval histogram', '', hist);
  const tlFig = figure('timeline', 'Event timeline', `${events.times.length} events (one tick per connection or burst)`, tl);
  const sizeFig = figure('sizes', 'Payload sizes over time', '', sizes);
  const specFig = figure('spectrum', 'Spectrum of the event train', '', spec);
  charts.append(histFig, tlFig, sizeFig, specFig);

  const summary = histogramChart(hist, intervals, row.interval, width);
  const peak = summary.peak;
  histFig.dataset.peakSeconds = peak ? String(peak.mid) : '';
  histFig.dataset.peakLo = peak ? String(peak.lo) : '';
  histFig.dataset.peakHi = peak ? String(peak.hi) : '';
  histFig.dataset.period = row.interval === null ? '' : String(row.interval);
  (histFig.querySelector('figcaption') as HTMLElement).textContent = peak
    ? `${intervals.length} intervals; most between ${duration(peak.lo)} and ${duration(peak.hi)} (${peak.count}). Dashed line: estimated period ${duration(row.interval)}.`
    : 'No intervals yet.';

  timeline(tl, events.times, width);
  tlFig.dataset.eventCount = String(events.times.length);

  sizesChart(sizes, events.times, events.sizes, width);
  const total = events.sizes.reduce((a, b) => a + b, 0);
  (sizeFig.querySelector('figcaption') as HTMLElement).textContent = events.sizes.length
    ? `${events.sizes.length} payloads, mean ${bytes(total / events.sizes.length)}.`
    : 'No payloads.';

  const spectrum = eventSpectrum(events.times);
  spectrumChart(spec, spectrum, row.interval, width);
  specFig.dataset.peakPeriod = spectrum.peakPeriod === null ? '' : String(spectrum.peakPeriod);
  (specFig.querySelector('figcaption') as HTMLElement).textContent =
    spectrum.peakPeriod === null ? 'Too few events.' : `Strongest period ${duration(spectrum.peakPeriod)} (fft.js over ${duration(spectrum.binSeconds)} bins); a beacon is a comb with lines at its period and its harmonics.`;
  return performance.now() - started;
}
