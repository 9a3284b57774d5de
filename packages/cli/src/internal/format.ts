import pc from 'picocolors';

/** Colour functions, all identity when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours only on a terminal, never with NO_COLOR or --no-color; FORCE_COLOR forces them.
 */
export function colorsFor(stream: { isTTY?: boolean }, flag: boolean | undefined): Colors {
  const env = process.env;
  let on = Boolean(stream.isTTY);
  if ('FORCE_COLOR' in env && env.FORCE_COLOR !== '0') on = true;
  if ('NO_COLOR' in env && env.NO_COLOR !== '') on = false;
  if (flag === false) on = false;
  return pc.createColors(on);
}

/** Width of a string as shown (ANSI colour codes do not count). */
function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Renders rows as aligned columns under a header and a rule of dashes. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), line(headers.map((h) => '-'.repeat(h.length))), ...rows.map(line)].join('\n');
}

/** Quotes a CSV field when it needs it (RFC 4180). */
function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Renders CSV text with a header line. */
export function csv(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [headers.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}

/** A duration in seconds as `45s`, `12.5m`, `2.5h` or `3.1d`. */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)}m`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}

/** An interval in seconds as the original prints it: `60.0s`. */
export function intervalText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  return `${seconds.toFixed(1)}s`;
}

/** A whole number with thousands separators. */
export function count(n: number | undefined): string {
  return (n ?? 0).toLocaleString('en-US');
}

/** Colours a severity word. */
export function severityColor(c: Colors, severity: string): string {
  switch (severity.toUpperCase()) {
    case 'CRITICAL':
      return c.bold(c.red(severity));
    case 'HIGH':
      return c.red(severity);
    case 'MEDIUM':
      return c.yellow(severity);
    default:
      return c.dim(severity);
  }
}
