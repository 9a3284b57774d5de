import { isConfigError, parseConfig } from '@beacon/config';
import { createDetector } from '@beacon/detector';
import { createApp } from '@beacon/server';
import { isSourceError, readPcap, readZeekConnLog } from '@beacon/sources';
import { CONFIG_API_SEEDS, GZIP_SEEDS, PCAP_SEEDS, PCAPNG_SEEDS, TELEMETRY_SEEDS, YAML_SEEDS, ZEEK_JSON_SEEDS, ZEEK_TSV_SEEDS } from './seeds.js';

/** How one input ended: taken, or refused with a named reason. Anything thrown is a finding. */
export type Outcome = { accepted: true } | { rejected: string };

/** A parser under fuzz: its seeds, and how to run one input through it. */
export interface FuzzTarget {
  name: string;
  seeds: Buffer[];
  /** Cases must run one at a time (the target keeps state between them). */
  sequential?: boolean;
  run(input: Buffer, caseNo: number): Promise<Outcome>;
}

/** A finding: the parser broke a promise (threw, answered 500, or the two paths disagreed). */
export class FuzzFinding extends Error {
  override readonly name = 'FuzzFinding';
}

const NOW_MS = 1_700_100_000_000;
function app() {
  // a fresh detector now and then, so state from earlier cases cannot grow without bound
  return createApp({ detector: createDetector({ now: () => NOW_MS / 1000 }), now: () => NOW_MS });
}
/** Two apps fed the same sequence of bodies (one in each spelling), so their states stay equal. */
let pair = [app(), app()] as const;
let uses = 0;
function appsForCase() {
  if (++uses % 2000 === 0) pair = [app(), app()] as const;
  return pair;
}

type Json = { error?: string; path?: string; batch_id?: string; [k: string]: unknown };
async function post(body: Buffer, path: string, headers: Record<string, string> = {}, which: 0 | 1 = 0): Promise<{ status: number; json: Json }> {
  const res = await pair[which].request(path, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    throw new FuzzFinding(`${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (res.status >= 500) throw new FuzzFinding(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return { status: res.status, json };
}

/** A named reason for a 4xx answer: its status and the path it names (or the error's first words). */
const reasonOf = (status: number, json: Json): Outcome => {
  if (status === 200) return { accepted: true };
  const why = json.path ?? (json.error ?? '').split(':')[0];
  if (!why) throw new FuzzFinding(`answered ${status} without naming what was wrong: ${JSON.stringify(json)}`);
  return { rejected: `${status} ${why}` };
};

/** The body with an escaped key first: JSON.parse reads the same object, the fast reader gives up on it. */
function generalOnly(body: Buffer): Buffer | null {
  let i = 0;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  if (body[i] !== 0x7b) return null;
  let j = i + 1;
  while (j < body.length && (body[j] === 0x20 || body[j] === 0x0a || body[j] === 0x0d || body[j] === 0x09)) j++;
  const key = body[j] === 0x7d ? '"\\u0078":0' : '"\\u0078":0,'; // no comma before the end of an empty object
  return Buffer.concat([body.subarray(0, i + 1), Buffer.from(key), body.subarray(i + 1)]);
}

/** Drops what legitimately differs between two answers to the same batch (a generated batch id). */
const comparable = (j: Json): string => JSON.stringify({ ...j, batch_id: j.batch_id?.startsWith('b-') ? j.batch_id : '*' });

const telemetry: FuzzTarget = {
  name: 'telemetry JSON (fast and general paths)',
  seeds: TELEMETRY_SEEDS,
  sequential: true,
  async run(input) {
    appsForCase();
    const a = await post(input, '/api/v1/telemetry');
    // the twin app gets the same batch in the spelling only the general path reads
    const twin = generalOnly(input) ?? input;
    const b = await post(twin, '/api/v1/telemetry', {}, 1);
    if (twin !== input) {
      // Both paths must agree: same status, and the same answer (or the same path refused).
      if (a.status !== b.status || (a.status === 200 && comparable(a.json) !== comparable(b.json)) || (a.status !== 200 && (a.json.path ?? '') !== (b.json.path ?? '')))
        throw new FuzzFinding(`fast and general paths disagree:\n fast: ${a.status} ${JSON.stringify(a.json).slice(0, 400)}\n general: ${b.status} ${JSON.stringify(b.json).slice(0, 400)}`);
    }
    return reasonOf(a.status, a.json);
  },
};

const gzipBodies: FuzzTarget = {
  name: 'telemetry gzip bodies',
  seeds: GZIP_SEEDS,
  sequential: true,
  async run(input) {
    appsForCase();
    const { status, json } = await post(input, '/api/v1/telemetry', { 'content-encoding': 'gzip' });
    return reasonOf(status, json);
  },
};

const configApi: FuzzTarget = {
  name: 'config API (POST /api/v1/config)',
  seeds: CONFIG_API_SEEDS,
  async run(input) {
    // a fresh app each time: an accepted update must not leak into the next case
    const res = await app().request('/api/v1/config', { method: 'POST', body: new Uint8Array(input), headers: { 'content-type': 'application/json' } });
    const text = await res.text();
    if (res.status >= 500) throw new FuzzFinding(`config API answered ${res.status}: ${text.slice(0, 300)}`);
    return reasonOf(res.status, JSON.parse(text) as Json);
  },
};

const yamlConfig: FuzzTarget = {
  name: 'YAML config (parseConfig)',
  seeds: YAML_SEEDS,
  async run(input) {
    try {
      parseConfig(input.toString('utf8'), 'fuzz.yaml');
      return { accepted: true };
    } catch (error) {
      if (!isConfigError(error)) throw error;
      const first = error.issues[0];
      if (first === undefined) throw new FuzzFinding(`ConfigError without an issue: ${error.message}`);
      return { rejected: `${error.code} ${first.path === '(syntax)' ? '(syntax)' : first.path.split('.').slice(0, 2).join('.')}` };
    }
  },
};

/** Sources: a file is read to its end; damaged records are problems with a kind, never a throw. */
function sourceTarget(name: string, seeds: Buffer[], read: (input: AsyncIterable<Buffer>) => AsyncIterable<unknown[]> & { stats: { problems: Record<string, number> } }): FuzzTarget {
  return {
    name,
    seeds,
    async run(input) {
      async function* once(): AsyncGenerator<Buffer> {
        yield input;
      }
      try {
        const source = read(once());
        for await (const batch of source) void batch;
        const kinds = Object.entries(source.stats.problems).filter(([, n]) => n > 0).map(([k]) => k);
        return kinds.length === 0 ? { accepted: true } : { rejected: `problems: ${kinds.sort().join(', ')}` };
      } catch (error) {
        if (isSourceError(error)) return { rejected: `SourceError ${error.code}` };
        throw error;
      }
    },
  };
}

/** Every parser the fuzz suite covers. */
export const TARGETS: FuzzTarget[] = [
  telemetry,
  gzipBodies,
  sourceTarget('Zeek conn.log TSV', ZEEK_TSV_SEEDS, (i) => readZeekConnLog(i)),
  sourceTarget('Zeek conn.log JSON', ZEEK_JSON_SEEDS, (i) => readZeekConnLog(i)),
  sourceTarget('pcap', PCAP_SEEDS, (i) => readPcap(i)),
  sourceTarget('pcapng', PCAPNG_SEEDS, (i) => readPcap(i)),
  yamlConfig,
  configApi,
];
