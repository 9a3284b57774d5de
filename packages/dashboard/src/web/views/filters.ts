import { h } from '../internal/dom.js';
import { SEVERITIES, type Row } from '../internal/model.js';
import { distinct, type RowQuery } from '../internal/rowQuery.js';

/** The filter bar over the beacons table: severity, kind, direction and free text. */
export class Filters {
  readonly element: HTMLElement;
  private readonly kind: HTMLSelectElement;
  private readonly direction: HTMLSelectElement;

  constructor(onChange: (q: Partial<RowQuery>) => void) {
    const select = (id: string, label: string, values: readonly string[], key: 'severity' | 'kind' | 'direction'): [HTMLElement, HTMLSelectElement] => {
      const s = h('select', { id, onchange: () => onChange({ [key]: s.value }) }, h('option', { value: '' }, 'all'), ...values.map((v) => h('option', { value: v }, v)));
      return [h('label', { for: id }, label), s];
    };
    const [sevLabel, sev] = select('f-severity', 'Severity', SEVERITIES, 'severity');
    const [kindLabel, kind] = select('f-kind', 'Kind', [], 'kind');
    const [dirLabel, dir] = select('f-direction', 'Direction', [], 'direction');
    this.kind = kind;
    this.direction = dir;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const text = h('input', {
      id: 'f-text',
      type: 'search',
      placeholder: 'address, port, label…',
      autocomplete: 'off',
      oninput: () => {
        clearTimeout(timer);
        timer = setTimeout(() => onChange({ text: text.value }), 80);
      },
    });
    this.element = h(
      'div',
      { class: 'filters', role: 'search', 'aria-label': 'Filter beacons' },
      h('span', { class: 'field' }, sevLabel, sev),
      h('span', { class: 'field' }, kindLabel, kind),
      h('span', { class: 'field' }, dirLabel, dir),
      h('span', { class: 'field grow' }, h('label', { for: 'f-text' }, 'Search'), text),
    );
  }

  /** Refreshes the kind and direction options from the data (keeping the current choice). */
  update(rows: readonly Row[]): void {
    for (const [s, field] of [
      [this.kind, 'kind'],
      [this.direction, 'direction'],
    ] as const) {
      const values = distinct(rows, field);
      const current = s.value;
      const have = [...s.options].slice(1).map((o) => o.value);
      if (have.join('\n') === values.join('\n')) continue;
      s.replaceChildren(h('option', { value: '' }, 'all'), ...values.map((v) => h('option', { value: v }, v)));
      s.value = values.includes(current) ? current : '';
      s.disabled = values.length === 0;
    }
  }
}
