/** `94.2%` */
export const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;

/** A duration in seconds as `850ms`, `45.0s`, `12.5m`, `3.2h` or `2.1d`. */
export function duration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  if (s < 1) return `${Math.round(s * 1000)}ms`;
  if (s < 120) return `${s.toFixed(1)}s`;
  if (s < 7200) return `${(s / 60).toFixed(1)}m`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)}h`;
  return `${(s / 86_400).toFixed(1)}d`;
}

/** Epoch seconds as `2026-12-02 18:40:53Z`. */
export function timestamp(s: number): string {
  if (!Number.isFinite(s)) return '—';
  return new Date(s * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** Thousands separators. */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A byte count as `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
