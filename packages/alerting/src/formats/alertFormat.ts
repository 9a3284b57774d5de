import { AlertingError } from '../alertingError.js';

/**
 * How a sink writes an alert: `beacon` (the alert JSON as the original wrote it), `ecs`
 * (Elastic Common Schema 8.x), `ocsf` (OCSF 1.3 Detection Finding), or, for syslog only, `cef`
 * (ArcSight Common Event Format).
 */
export type AlertFormat = 'beacon' | 'ecs' | 'ocsf' | 'cef';

/** The formats a JSON sink (file, webhook) writes: every format except `cef`. */
export type JsonAlertFormat = Exclude<AlertFormat, 'cef'>;

/** Every format, in the order the docs list them. */
export const ALERT_FORMATS: readonly AlertFormat[] = Object.freeze(['beacon', 'ecs', 'ocsf', 'cef'] as const);

/** Checks a sink's `format` option; throws `INVALID_OPTIONS` naming the sink and the allowed values. */
export function checkAlertFormat<F extends AlertFormat>(owner: string, value: unknown, allowed: readonly F[]): F {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as F;
  throw new AlertingError('INVALID_OPTIONS', `${owner}: format must be ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}
