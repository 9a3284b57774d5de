import type { Severity } from './types.js';

/**
 * Severity band of a combined score, the original's table:
 * `>= 0.90` CRITICAL, `>= 0.80` HIGH, `>= 0.70` MEDIUM, else LOW.
 * @example severityOf(0.93) // 'CRITICAL'
 */
export function severityOf(score: number): Severity {
  if (score >= 0.9) return 'CRITICAL';
  if (score >= 0.8) return 'HIGH';
  if (score >= 0.7) return 'MEDIUM';
  return 'LOW';
}
