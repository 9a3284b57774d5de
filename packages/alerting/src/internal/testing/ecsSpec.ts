/**
 * The ECS 8.x fields Beacon writes, with their types and allowed values as the Elastic Common
 * Schema reference defines them (ecs-field-reference, 8.11: base, ecs, event, source,
 * destination, network, rule, threat, observer). Written from the public spec for the tests;
 * not the schema itself.
 */
export type EcsType = 'date' | 'keyword' | 'long' | 'float' | 'ip' | 'match_only_text' | 'constant_keyword';

export const ECS_FIELDS: Record<string, EcsType> = {
  '@timestamp': 'date',
  'ecs.version': 'keyword',
  message: 'match_only_text',
  tags: 'keyword',
  'event.kind': 'keyword',
  'event.category': 'keyword',
  'event.type': 'keyword',
  'event.id': 'keyword',
  'event.created': 'date',
  'event.start': 'date',
  'event.end': 'date',
  'event.duration': 'long',
  'event.severity': 'long',
  'event.risk_score': 'float',
  'event.module': 'keyword',
  'event.dataset': 'keyword',
  'event.provider': 'keyword',
  'event.action': 'keyword',
  'event.reason': 'keyword',
  'source.ip': 'ip',
  'source.port': 'long',
  'destination.ip': 'ip',
  'destination.port': 'long',
  'network.transport': 'keyword',
  'network.type': 'keyword',
  'rule.id': 'keyword',
  'rule.name': 'keyword',
  'rule.description': 'keyword',
  'rule.category': 'keyword',
  'rule.ruleset': 'keyword',
  'rule.version': 'keyword',
  'threat.framework': 'keyword',
  'threat.tactic.id': 'keyword',
  'threat.tactic.name': 'keyword',
  'threat.tactic.reference': 'keyword',
  'threat.technique.id': 'keyword',
  'threat.technique.name': 'keyword',
  'threat.technique.reference': 'keyword',
  'observer.vendor': 'keyword',
  'observer.product': 'keyword',
  'observer.type': 'keyword',
  'observer.version': 'keyword',
  'observer.hostname': 'keyword',
};

/** Allowed values of ECS's categorisation fields (the `event.*` allowed-values tables). */
export const ECS_ALLOWED: Record<string, readonly string[]> = {
  'event.kind': ['alert', 'asset', 'enrichment', 'event', 'metric', 'state', 'pipeline_error', 'signal'],
  'event.category': ['api', 'authentication', 'configuration', 'database', 'driver', 'email', 'file', 'host', 'iam', 'intrusion_detection', 'library', 'malware', 'network', 'package', 'process', 'registry', 'session', 'threat', 'vulnerability', 'web'],
  // event.type values allowed together with event.category: network.
  'event.type': ['access', 'allowed', 'connection', 'denied', 'end', 'info', 'protocol', 'start'],
  'network.type': ['ipv4', 'ipv6', 'ipsec'],
};

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function valueOk(type: EcsType, v: unknown): boolean {
  switch (type) {
    case 'date':
      return typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v));
    case 'long':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'ip':
      return typeof v === 'string' && (IPV4.test(v) || (v.includes(':') && /^[0-9a-f:.]+$/i.test(v)));
    default:
      return typeof v === 'string' && v.length > 0;
  }
}

/**
 * Problems of a document against ECS: every leaf outside `beacon.*` must be an ECS field of
 * the right type (arrays allowed: ECS fields may hold several values), categorisation fields
 * must hold allowed values, and null is never written.
 */
export function ecsProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (path === 'beacon') return;
    if (value === null || value === undefined) {
      problems.push(`${path}: null`);
      return;
    }
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`);
      return;
    }
    const type = ECS_FIELDS[path];
    if (type === undefined) {
      problems.push(`${path}: not an ECS field`);
      return;
    }
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (!valueOk(type, v)) problems.push(`${path}: ${JSON.stringify(v)} is not a valid ${type}`);
      const allowed = ECS_ALLOWED[path];
      if (allowed && !allowed.includes(v as string)) problems.push(`${path}: ${JSON.stringify(v)} is not an allowed value`);
    }
  };
  walk(doc, '');
  return problems;
}
