import type { BeaconItem } from '@beacon/detector';

/** `cv=0.99(w=0.35),periodicity=0.97(w=0.35),...`, the original's signal summary. */
export function formatSignals(item: BeaconItem): string {
  const signals = item.explanation?.contributing_signals ?? [];
  return signals.map((s) => `${s.name}=${fixed(s.score, 2)}(w=${fixed(s.weight, 2)})`).join(',');
}

/** The beacon's period in seconds: the detected interval, else the dominant period, else the mean. */
export function periodSeconds(item: BeaconItem): number | null {
  const candidates = [
    item.explanation?.detected_interval_seconds,
    item.periodicity_result?.dominant_period,
    item.interval_stats?.median,
    item.interval_stats?.mean,
  ];
  for (const c of candidates) if (typeof c === 'number' && Number.isFinite(c) && c > 0) return c;
  return null;
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** `42 s`, `1.5 min`, `2.0 h`: durations an analyst reads at a glance. */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 120) return `${fixed(seconds, 1)} s`;
  if (seconds < 7200) return `${fixed(seconds / 60, 1)} min`;
  return `${fixed(seconds / 3600, 1)} h`;
}

/** The description sentence(s) of a beacon alert. */
export function describeBeacon(item: BeaconItem, severityLabel: string): string {
  const parts: string[] = [];
  parts.push(
    `Potential beaconing between ${item.src_ip} and ${item.dst_ip}:${item.dst_port}/${item.protocol}.`,
  );
  parts.push(`Severity: ${severityLabel.toUpperCase()}. Score: ${fixed(item.combined_score, 3)}.`);
  const period = periodSeconds(item);
  const jitter = item.explanation?.jitter_seconds;
  const jitterText = typeof jitter === 'number' && Number.isFinite(jitter) ? ` (jitter ${fixed(jitter, 1)} s)` : '';
  parts.push(period === null ? 'Interval: unknown.' : `Interval: ~${fixed(period, 1)} s${jitterText}.`);
  parts.push(
    `${item.connection_count} connections over ${humanDuration(item.duration_seconds)}` +
      ` (first seen ${item.first_seen}, last seen ${item.last_seen}).`,
  );
  const signals = [...(item.explanation?.contributing_signals ?? [])].sort((a, b) => b.contribution - a.contribution);
  if (signals.length > 0) {
    const drivers = signals.map((s) => `${s.name} ${fixed(s.score, 2)} x ${fixed(s.weight, 2)} = ${fixed(s.contribution, 3)}`);
    parts.push(`Drivers: ${drivers.join('; ')}.`);
  }
  const summary = item.explanation?.summary?.trim();
  if (summary) parts.push(summary.endsWith('.') ? summary : `${summary}.`);
  if (item.benign_label) parts.push(`Matches benign baseline "${item.benign_label}".`);
  return parts.join(' ');
}
