import { h } from '../internal/dom.js';
import { percent, timestamp } from '../internal/format.js';

/** The fields of an alert the list shows (stream `alert` events and GET /api/v1/alerts). */
export interface AlertLike {
  alert_id?: string;
  severity?: string;
  timestamp?: string;
  reason?: string;
  details?: { pair_key?: string; combined_score?: number };
  pair_key?: string;
  combined_score?: number;
}

const KEEP = 100;

/** Alerts as they happen, newest first (a polite live region announces each). */
export class AlertsView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly seen = new Set<string>();

  constructor(private readonly onPair: (key: string) => void) {
    this.list = h('ol', { class: 'alerts', 'aria-live': 'polite', 'aria-relevant': 'additions' });
    this.element = h('section', { class: 'panel', 'aria-labelledby': 'alerts-h' }, h('h2', { id: 'alerts-h' }, 'Alerts'), this.list);
  }

  /** Adds alerts (oldest first in `alerts`), skipping ones already listed. */
  add(alerts: readonly AlertLike[]): void {
    for (const a of alerts) {
      const key = a.details?.pair_key ?? a.pair_key ?? '';
      const id = a.alert_id ?? `${key}@${a.timestamp ?? ''}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      const score = a.details?.combined_score ?? a.combined_score;
      const when = a.timestamp ? timestamp(Date.parse(a.timestamp) / 1000) : '';
      const sev = (a.severity ?? '').toLowerCase();
      const link = h('button', { type: 'button', class: 'link', onclick: () => this.onPair(key) }, key);
      this.list.prepend(h('li', { class: `sev-${sev}` }, h('span', { class: `badge sev-${sev}` }, sev || 'alert'), link, h('span', { class: 'muted' }, `${score === undefined ? '' : percent(score)} ${when}${a.reason ? ` · ${a.reason}` : ''}`)));
    }
    while (this.list.children.length > KEEP) this.list.lastElementChild?.remove();
    if (this.list.children.length === 0) this.list.append(h('li', { class: 'muted empty' }, 'No alerts yet.'));
    else this.list.querySelector('.empty')?.remove();
  }
}
