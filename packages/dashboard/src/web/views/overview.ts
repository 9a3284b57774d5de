import { sparkline } from '../charts/sparkline.js';
import { h } from '../internal/dom.js';
import { count } from '../internal/format.js';

/** One sample of the control plane's counters (the stream's `stats` event). */
export interface StatsSample {
  time: number;
  events_per_second: number;
  pair_count: number;
  beacon_count: number;
  alerts_generated: number;
  queue_fill_percent: number;
  queue_drops: number;
}

const CARDS: Array<{ key: keyof StatsSample; label: string; fmt: (v: number) => string }> = [
  { key: 'events_per_second', label: 'Events/s', fmt: (v) => (v < 10 ? v.toFixed(1) : count(v)) },
  { key: 'pair_count', label: 'Pairs', fmt: count },
  { key: 'beacon_count', label: 'Beacons', fmt: count },
  { key: 'alerts_generated', label: 'Alerts', fmt: count },
  { key: 'queue_fill_percent', label: 'Alert queue fill', fmt: (v) => `${v.toFixed(1)}%` },
  { key: 'queue_drops', label: 'Alert drops', fmt: count },
];

/** How many samples each sparkline keeps (at one sample every 2 s: 4 minutes). */
const KEEP = 120;

/** The overview: six counters, each with a small time series of its recent values. */
export class Overview {
  readonly element: HTMLElement;
  private readonly history: StatsSample[] = [];
  private readonly values = new Map<string, HTMLElement>();
  private readonly lines = new Map<string, HTMLCanvasElement>();

  constructor() {
    this.element = h('section', { class: 'overview', 'aria-label': 'Overview' });
    for (const c of CARDS) {
      const value = h('span', { class: 'value' }, '—');
      const canvas = h('canvas', { class: 'spark', 'aria-hidden': 'true' });
      this.values.set(c.key, value);
      this.lines.set(c.key, canvas);
      this.element.append(h('div', { class: 'card', 'data-metric': c.key }, h('span', { class: 'label' }, c.label), value, canvas));
    }
  }

  /** Adds a sample and redraws. */
  push(s: StatsSample): void {
    this.history.push(s);
    if (this.history.length > KEEP) this.history.shift();
    for (const c of CARDS) {
      (this.values.get(c.key) as HTMLElement).textContent = c.fmt(s[c.key]);
      sparkline(this.lines.get(c.key) as HTMLCanvasElement, this.history.map((x) => x[c.key]));
    }
  }
}
