/**
 * The OCSF 1.3 requirements a Detection Finding must meet, written from the public schema
 * (ocsf-schema: events/base_event.json, events/findings/finding.json and detection_finding.json,
 * objects/metadata.json, product.json, finding_info.json, observable.json, network_endpoint.json,
 * evidences.json, attack.json) for the tests; not the schema itself.
 */

/** Required attributes per object, by path (`[]` marks each element of an array). */
export const OCSF_REQUIRED: Record<string, readonly string[]> = {
  // base_event (activity_id, category_uid, class_uid, severity_id, time, type_uid, metadata) + finding (finding_info)
  '': ['activity_id', 'category_uid', 'class_uid', 'finding_info', 'metadata', 'severity_id', 'time', 'type_uid'],
  metadata: ['product', 'version'],
  'metadata.product': ['vendor_name'],
  finding_info: ['uid'],
  'finding_info.analytic': ['type_id'],
  'finding_info.attacks[]': [],
  'observables[]': ['name', 'type_id'],
};

/** Enumerations (integer ids) as the schema lists them. */
export const OCSF_ENUMS: Record<string, readonly number[]> = {
  activity_id: [0, 1, 2, 3, 99],
  severity_id: [0, 1, 2, 3, 4, 5, 6, 99],
  status_id: [0, 1, 2, 3, 4, 5, 6, 99],
  'finding_info.analytic.type_id': [0, 1, 2, 3, 4, 5, 6, 99],
  'observables[].type_id': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 99],
  'evidences[].connection_info.direction_id': [0, 1, 2, 3, 4, 99],
};

/** Attributes of type `timestamp_t` (epoch milliseconds, integer). */
export const OCSF_TIMESTAMPS: readonly string[] = ['time', 'start_time', 'end_time', 'finding_info.created_time', 'finding_info.first_seen_time', 'finding_info.last_seen_time'];

function at(obj: unknown, path: string): unknown[] {
  if (path === '') return [obj];
  let current: unknown[] = [obj];
  for (const part of path.split('.')) {
    const isArray = part.endsWith('[]');
    const key = isArray ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const c of current) {
      const v = (c as Record<string, unknown> | undefined)?.[key];
      if (v === undefined) continue;
      if (isArray) next.push(...(Array.isArray(v) ? v : [Symbol('not an array')]));
      else next.push(v);
    }
    current = next;
  }
  return current;
}

/** Problems of an event against the Detection Finding requirements above. */
export function ocsfDetectionFindingProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [path, required] of Object.entries(OCSF_REQUIRED)) {
    for (const obj of at(event, path)) {
      if (typeof obj !== 'object' || obj === null) {
        problems.push(`${path || '(event)'}: not an object`);
        continue;
      }
      for (const attr of required) {
        const v = (obj as Record<string, unknown>)[attr];
        if (v === undefined || v === null || v === '') problems.push(`${path ? `${path}.` : ''}${attr}: required`);
      }
    }
  }
  if (event.class_uid !== 2004) problems.push(`class_uid: ${String(event.class_uid)}, expected 2004 (Detection Finding)`);
  if (event.category_uid !== 2) problems.push(`category_uid: ${String(event.category_uid)}, expected 2 (Findings)`);
  if (event.type_uid !== (event.class_uid as number) * 100 + (event.activity_id as number)) problems.push('type_uid: must be class_uid * 100 + activity_id');
  for (const [path, values] of Object.entries(OCSF_ENUMS)) {
    for (const v of at(event, path)) if (!values.includes(v as number)) problems.push(`${path}: ${JSON.stringify(v)} is not in the enumeration`);
  }
  for (const path of OCSF_TIMESTAMPS) {
    for (const v of at(event, path)) if (typeof v !== 'number' || !Number.isSafeInteger(v)) problems.push(`${path}: ${JSON.stringify(v)} is not a timestamp_t (epoch ms)`);
  }
  const version = at(event, 'metadata.version')[0];
  if (typeof version !== 'string' || !/^1\.\d+\.\d+/.test(version)) problems.push(`metadata.version: ${JSON.stringify(version)} is not an OCSF 1.x version`);
  for (const e of at(event, 'evidences[]')) {
    const ev = e as Record<string, unknown>;
    for (const side of ['src_endpoint', 'dst_endpoint'] as const) {
      const ep = ev[side] as Record<string, unknown> | undefined;
      if (ep !== undefined && ep.ip === undefined && ep.hostname === undefined && ep.uid === undefined) problems.push(`evidences[].${side}: needs one of ip, hostname, uid`);
      if (ep?.port !== undefined && !(Number.isInteger(ep.port) && (ep.port as number) >= 0 && (ep.port as number) <= 65535)) problems.push(`evidences[].${side}.port: not a port_t`);
    }
  }
  for (const o of at(event, 'observables[]')) {
    const name = (o as { name?: unknown }).name;
    if (typeof name === 'string' && at(event, name.replace(/\[(\d+)\]/g, '[]')).length === 0) problems.push(`observables[].name: ${name} points at nothing`);
  }
  return problems;
}
