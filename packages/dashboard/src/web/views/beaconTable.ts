import { h } from '../internal/dom.js';
import { duration, percent, timestamp } from '../internal/format.js';
import type { Row } from '../internal/model.js';
import { queryRows, type RowQuery, type SortKey } from '../internal/rowQuery.js';

/** Height of one row, px (fixed, so the visible slice is arithmetic). */
export const ROW_HEIGHT = 30;
const OVERSCAN = 8;

interface Column {
  key: SortKey;
  label: string;
  cell: (r: Row) => string;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'score', label: 'Score', cell: (r) => percent(r.score), numeric: true },
  { key: 'severity', label: 'Severity', cell: (r) => (r.benign ? `benign (${r.benign})` : r.severity) },
  { key: 'src', label: 'Source', cell: (r) => r.src },
  { key: 'dst', label: 'Destination', cell: (r) => r.dst },
  { key: 'port', label: 'Port', cell: (r) => String(r.port), numeric: true },
  { key: 'proto', label: 'Proto', cell: (r) => r.proto },
  { key: 'conns', label: 'Conns', cell: (r) => String(r.conns), numeric: true },
  { key: 'interval', label: 'Interval', cell: (r) => duration(r.interval), numeric: true },
  { key: 'kind', label: 'Kind', cell: (r) => r.kind ?? '—' },
  { key: 'direction', label: 'Direction', cell: (r) => r.direction ?? '—' },
  { key: 'lastSeen', label: 'Last seen', cell: (r) => timestamp(r.lastSeen).slice(5, 16) },
];

/**
 * The beacons table: sortable headers, a virtualised body (only the visible rows and a few
 * either side are in the DOM, so 10,000 rows cost what 40 do), and a grid keyboard model: one
 * row is in the tab order; arrows, Page Up/Down, Home and End move it; Enter opens the pair.
 */
export class BeaconTable {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private readonly headers: HTMLElement[] = [];
  private rows: Row[] = [];
  private shown: Row[] = [];
  private active = 0;
  private selectedKey: string | null = null;
  private query: RowQuery;
  private frame = 0;

  constructor(
    query: RowQuery,
    private readonly onOpen: (row: Row) => void,
    private readonly onShown: (shown: number, total: number) => void,
  ) {
    this.query = { ...query };
    const headRow = h('div', { role: 'row', class: 'tr head', 'aria-rowindex': 1 });
    for (const c of COLUMNS) {
      const button = h('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(c.key) }, c.label);
      const th = h('div', { role: 'columnheader', class: c.numeric ? 'th num' : 'th', 'data-key': c.key }, button);
      this.headers.push(th);
      headRow.append(th);
    }
    this.body = h('div', { role: 'rowgroup', class: 'rows' });
    this.spacer = h('div', { class: 'spacer' }, this.body);
    this.viewport = h('div', { class: 'viewport' }, this.spacer);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.element = h('div', { role: 'grid', class: 'grid', 'aria-label': 'Beacons', 'aria-colcount': COLUMNS.length }, h('div', { role: 'rowgroup', class: 'thead' }, headRow), this.viewport);
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  /** Replaces the data (keeps the query, the selection and, when it still exists, the active row). */
  setRows(rows: Row[]): void {
    this.rows = rows;
    this.apply();
  }

  /** Changes filters or sort order. */
  setQuery(q: Partial<RowQuery>): void {
    this.query = { ...this.query, ...q };
    this.apply();
  }

  /** The rows after filtering and sorting, in display order. */
  get visibleRows(): readonly Row[] {
    return this.shown;
  }

  /** Marks a pair as the one open in the pair view. */
  select(key: string | null): void {
    this.selectedKey = key;
    this.render();
  }

  private sortBy(key: SortKey): void {
    const descending = this.query.sort === key ? !this.query.descending : key === 'score' || key === 'severity' || key === 'conns' || key === 'lastSeen';
    this.setQuery({ sort: key, descending });
  }

  private apply(): void {
    const activeKey = this.shown[this.active]?.key;
    this.shown = queryRows(this.rows, this.query);
    const again = activeKey === undefined ? -1 : this.shown.findIndex((r) => r.key === activeKey);
    this.active = again >= 0 ? again : Math.min(this.active, Math.max(0, this.shown.length - 1));
    this.element.setAttribute('aria-rowcount', String(this.shown.length + 1));
    this.spacer.style.height = `${this.shown.length * ROW_HEIGHT}px`;
    for (const th of this.headers) {
      const on = th.dataset.key === this.query.sort;
      if (on) th.setAttribute('aria-sort', this.query.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
    this.onShown(this.shown.length, this.rows.length);
    this.render();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws the rows in view (synchronously). */
  render(): void {
    const height = this.viewport.clientHeight || 480;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.shown.length, Math.ceil((this.viewport.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    const focused = this.body.contains(document.activeElement);
    const nodes: HTMLElement[] = [];
    for (let i = first; i < last; i++) nodes.push(this.rowElement(this.shown[i] as Row, i));
    this.body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.body.replaceChildren(...nodes);
    if (focused) this.focusActive();
  }

  private rowElement(r: Row, i: number): HTMLElement {
    const tr = h('div', {
      role: 'row',
      class: `tr sev-${r.benign ? 'benign' : r.severity}${r.key === this.selectedKey ? ' selected' : ''}`,
      'aria-rowindex': i + 2,
      'aria-selected': r.key === this.selectedKey ? 'true' : 'false',
      tabindex: i === this.active ? 0 : -1,
      'data-key': r.key,
      'data-index': i,
    });
    for (const c of COLUMNS) tr.append(h('div', { role: 'gridcell', class: c.numeric ? 'td num' : 'td' }, c.cell(r)));
    tr.addEventListener('click', () => {
      this.active = i;
      this.render();
      this.onOpen(r);
    });
    return tr;
  }

  private focusActive(): void {
    const el = this.body.querySelector<HTMLElement>(`[data-index="${this.active}"]`);
    el?.focus({ preventScroll: true });
  }

  private moveTo(i: number): void {
    if (this.shown.length === 0) return;
    this.active = Math.max(0, Math.min(this.shown.length - 1, i));
    const top = this.active * ROW_HEIGHT;
    const vh = this.viewport.clientHeight;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + vh) this.viewport.scrollTop = top + ROW_HEIGHT - vh;
    this.render();
    this.focusActive();
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (target.getAttribute('role') !== 'row') return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) this.moveTo(this.active + (moves[e.key] as number));
    else if (e.key === 'Home') this.moveTo(0);
    else if (e.key === 'End') this.moveTo(this.shown.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') {
      const r = this.shown[this.active];
      if (r) this.onOpen(r);
    } else return;
    e.preventDefault();
  }
}
