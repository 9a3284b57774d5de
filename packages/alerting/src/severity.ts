/** Alert severity, lower-case as in the alert JSON. */
export type AlertSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** Every severity, least severe first. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = Object.freeze([
  'info',
  'low',
  'medium',
  'high',
  'critical',
] as const);

/**
 * Severity of a combined score: >= 0.9 critical, >= 0.8 high, >= 0.7 medium, >= 0.3 low,
 * else info. A score that is not a finite number is `info`.
 */
export function severityFromScore(score: number): AlertSeverity {
  if (!Number.isFinite(score)) return 'info';
  if (score >= 0.9) return 'critical';
  if (score >= 0.8) return 'high';
  if (score >= 0.7) return 'medium';
  if (score >= 0.3) return 'low';
  return 'info';
}

/** Rank of a severity, 0 (info) to 4 (critical), for comparisons. */
export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(severity);
}

/** True when `value` is one of {@link ALERT_SEVERITIES}. */
export function isAlertSeverity(value: unknown): value is AlertSeverity {
  return typeof value === 'string' && (ALERT_SEVERITIES as readonly string[]).includes(value);
}
