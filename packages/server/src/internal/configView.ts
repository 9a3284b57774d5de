import { isConfigError, toDetectorConfig, validateConfig, type BeaconConfig } from '@beacon/config';
import { isDetectorError, type Detector } from '@beacon/detector';
import { ServerError } from '../serverError.js';

const REDACTED = '***';
const SECTIONS = new Set(['detection', 'weights', 'alerting', 'whitelist', 'benign_baseline']);
const WEIGHT_KEYS: Record<string, string> = { cv: 'cv_weight', periodicity: 'periodicity_weight', jitter: 'jitter_weight', size: 'size_weight' };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A webhook URL often carries its token in the path or query: show only scheme and host. */
function redactUrl(url: string): string {
  if (url === '') return url;
  try {
    return `${new URL(url).origin}/${REDACTED}`;
  } catch {
    return REDACTED;
  }
}

/** The alerting section with secrets replaced: webhook URL path, header values, signing secret. */
export function redactAlerting(a: BeaconConfig['alerting']): Json {
  const out = structuredClone(a) as Json;
  const webhook = out.webhook as Json;
  webhook.url = redactUrl(a.webhook.url);
  webhook.headers = Object.fromEntries(Object.keys(a.webhook.headers).map((k) => [k, REDACTED]));
  webhook.secret = a.webhook.secret === null ? null : REDACTED;
  if (a.webhook_url !== undefined) out.webhook_url = redactUrl(a.webhook_url);
  return out;
}

/** `GET /api/v1/config`: the live detector settings plus the (redacted) alerting section. */
export function configView(config: BeaconConfig, detector: Detector): Json {
  const d = detector.config;
  return {
    detection: {
      min_connections: d.minConnections,
      min_duration: d.minDuration,
      time_window: d.timeWindow,
      cv_threshold: d.cvThreshold,
      periodicity_threshold: config.detection.periodicity_threshold ?? 0.7,
      alert_threshold: d.alertThreshold,
      jitter_threshold: d.jitterThreshold,
      analysis_interval: d.analysisInterval,
      alert_cooldown: d.alertCooldown,
      min_beacon_interval: d.minBeaconInterval,
      max_beacon_interval: d.maxBeaconInterval,
      max_pairs: d.maxPairs,
      max_history: d.maxHistory,
    },
    weights: { ...d.weights },
    alerting: redactAlerting(config.alerting),
    whitelist: {
      source_ips: d.allowlist.sourceIps,
      destination_ips: d.allowlist.destinationIps,
      destination_ports: d.allowlist.destinationPorts,
      pairs: d.allowlist.pairs,
    },
    benign_baseline: {
      enabled: d.benignBaseline.enabled,
      multicast: d.benignBaseline.multicast,
      patterns: d.benignBaseline.patterns.map((p) => ({
        ...(p.dstPort !== undefined ? { dst_port: p.dstPort } : {}),
        ...(p.protocol !== undefined ? { protocol: p.protocol } : {}),
        ...(p.dstIps !== undefined ? { dst_ips: p.dstIps } : {}),
        label: p.label,
      })),
    },
  };
}

/** Values a client sends back exactly as GET showed them redacted mean "unchanged". */
function unredact(sent: unknown, shown: unknown, actual: unknown): unknown {
  if (isObject(sent) && isObject(shown) && isObject(actual))
    return Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, unredact(v, shown[k], actual[k])]));
  return typeof sent === 'string' && sent === shown && sent.includes(REDACTED) ? actual : sent;
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v);
  return out;
}

/**
 * Validates a partial update (sections detection, weights, alerting, whitelist, benign_baseline)
 * against the configuration schema, then applies it to the detector. Nothing changes unless
 * everything is valid. Sink settings (syslog, file, webhook) cannot change while running.
 * @throws {@link ServerError} `INVALID_CONFIG` naming the first bad key path
 */
export function applyConfigUpdate(body: unknown, current: BeaconConfig, detector: Detector): BeaconConfig {
  if (!isObject(body)) throw new ServerError('INVALID_CONFIG', 'body must be a JSON object', { path: '(body)' });
  for (const key of Object.keys(body)) {
    if (!SECTIONS.has(key)) throw new ServerError('INVALID_CONFIG', `unknown section "${key}" (use ${[...SECTIONS].join(', ')})`, { path: key });
    if (!isObject(body[key])) throw new ServerError('INVALID_CONFIG', 'must be an object', { path: key });
  }
  const detection: Json = { ...(body.detection as Json | undefined) };
  for (const [k, v] of Object.entries((body.weights as Json | undefined) ?? {})) {
    const mapped = WEIGHT_KEYS[k];
    if (mapped === undefined) throw new ServerError('INVALID_CONFIG', `unknown weight "${k}" (use cv, periodicity, jitter, size)`, { path: `weights.${k}` });
    detection[mapped] = v;
  }
  const whitelist: Json = { ...(body.whitelist as Json | undefined) };
  // `ports` and `destination_ports` are one list: sending either replaces it.
  if (whitelist.destination_ports !== undefined && whitelist.ports === undefined) whitelist.ports = [];
  if (whitelist.ports !== undefined && whitelist.destination_ports === undefined) whitelist.destination_ports = [];
  const alerting = unredact(body.alerting ?? {}, redactAlerting(current.alerting), current.alerting);
  const patch = { detection, whitelist, alerting, benign_baseline: body.benign_baseline ?? {} };
  let next: BeaconConfig;
  try {
    next = validateConfig(merge(current, patch), 'config update');
  } catch (error) {
    if (!isConfigError(error)) throw error;
    const issue = error.issues[0];
    let path = issue?.path ?? '(body)';
    const weight = Object.entries(WEIGHT_KEYS).find(([, v]) => path === `detection.${v}`);
    if (weight && (body.weights as Json | undefined)?.[weight[0]] !== undefined) path = `weights.${weight[0]}`;
    throw new ServerError('INVALID_CONFIG', `${path}: ${issue?.message ?? error.message}`, { path, cause: error });
  }
  const { enabled: _a, ...sinksNow } = current.alerting;
  const { enabled: _b, ...sinksNext } = next.alerting;
  if (JSON.stringify(sinksNow) !== JSON.stringify(sinksNext))
    throw new ServerError('INVALID_CONFIG', 'alerting sinks cannot change while running (only alerting.enabled can); edit the configuration file and restart', {
      path: 'alerting',
    });
  try {
    detector.updateConfig(toDetectorConfig(next));
  } catch (error) {
    if (!isDetectorError(error)) throw error;
    throw new ServerError('INVALID_CONFIG', error.message, { path: 'detection', cause: error });
  }
  return next;
}
