import { severityOf, type Severity } from '@beacon/scoring';

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
 * Severity of a combined score: the scoring engine's table ({@link severityOf}: >= 0.9 critical,
 * >= 0.8 high, >= 0.7 medium), lower-cased, with the band below 0.7 split at 0.3: low above it,
 * info below. A score that is not a finite number is `info`.
 */
export function severityFromScore(score: number): AlertSeverity {
  if (!Number.isFinite(score) || score < 0.3) return 'info';
  return LOWER[severityOf(score)];
}

const LOWER = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' } as const satisfies Record<Severity, AlertSeverity>;

/** Rank of a severity, 0 (info) to 4 (critical), for comparisons. */
export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(severity);
}

/** True when `value` is one of {@link ALERT_SEVERITIES}. */
export function isAlertSeverity(value: unknown): value is AlertSeverity {
  return typeof value === 'string' && (ALERT_SEVERITIES as readonly string[]).includes(value);
}
