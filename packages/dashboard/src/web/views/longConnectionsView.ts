import { h } from '../internal/dom.js';
import { duration, timestamp } from '../internal/format.js';

/** One item of GET /api/v1/long-connections. */
export interface LongConnectionLike {
  pair_key: string;
  duration_seconds: number;
  open?: boolean;
  connection_count: number;
  last_seen: string;
}

/** The long connections (one flow open for a long time: keep-alive C2, tunnels), longest first. */
export class LongConnectionsView {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;

  constructor() {
    this.body = h('tbody');
    this.element = h(
      'section',
      { class: 'panel', 'aria-labelledby': 'long-h' },
      h('h2', { id: 'long-h' }, 'Long connections'),
      h('table', { class: 'simple' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Pair'), h('th', { scope: 'col' }, 'Longest flow'), h('th', { scope: 'col' }, 'Open'), h('th', { scope: 'col' }, 'Last seen'))), this.body),
    );
    this.set([]);
  }

  /** Replaces the list. */
  set(items: readonly LongConnectionLike[]): void {
    if (items.length === 0) {
      this.body.replaceChildren(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'None.')));
      return;
    }
    this.body.replaceChildren(...items.map((c) => h('tr', {}, h('td', {}, c.pair_key), h('td', {}, duration(c.duration_seconds)), h('td', {}, c.open ? 'yes' : 'no'), h('td', {}, timestamp(Date.parse(c.last_seen) / 1000)))));
  }
}
