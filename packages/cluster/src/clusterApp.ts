import { Hono } from 'hono';
import { LISTINGS, mergeAnalyze, mergeListing, sumDeep, type Json } from './internal/mergeJson.js';
import { mergeMetrics } from './internal/mergeMetrics.js';
import type { QueryBus, ShardAnswer, ShardRequest } from './queryBus.js';

/** What {@link clusterApp} needs. */
export interface ClusterAppDeps {
  /** This shard's own control-plane app (its local answers). */
  local: Hono;
  bus: QueryBus;
  /** 1-based index and count. */
  shard: number;
  shards: number;
  /** This shard's cluster facts for `status` (partitions, lag, consumption). */
  self: () => Promise<Record<string, unknown>>;
  /** The cluster-wide facts of `status` (stream, partitions). */
  cluster: Record<string, unknown>;
}

const GATHERED = new Set(['/api/v1/status', '/api/v1/statistics', '/api/v1/beacons', '/api/v1/alerts', '/api/v1/connections', '/api/v1/long-connections', '/api/v1/metrics']);
const BROADCAST: Record<string, string> = { '/api/v1/beacons': 'DELETE', '/api/v1/alerts': 'DELETE', '/api/v1/analyze': 'POST' };

/**
 * This shard's answer to a request, as another shard asks for it over NATS: the local app's
 * answer, plus, for `status`, this shard's cluster facts under `cluster_shard`.
 */
export async function localAnswer(deps: Pick<ClusterAppDeps, 'local' | 'self'>, req: ShardRequest, headers: Record<string, string> = {}): Promise<Omit<ShardAnswer, 'shard'>> {
  const res = await deps.local.request(req.url, { method: req.method, headers });
  let body = await res.text();
  const contentType = res.headers.get('content-type') ?? 'application/json';
  if (res.ok && new URL(req.url, 'http://x').pathname === '/api/v1/status') body = JSON.stringify({ ...(JSON.parse(body) as object), cluster_shard: await deps.self() });
  return { status: res.status, contentType, body };
}

const label = (i: number, n: number): string => `${i}/${n}`;

/**
 * The HTTP API of a cluster shard: the control plane's routes, where the cluster-wide reads
 * (`status`, `statistics`, `beacons`, `alerts`, `connections`, `long-connections`, `metrics`)
 * are answered by scatter-gather: this shard's answer merged with the other shards' (over
 * NATS request/reply), sorted and limited as one node would, with `partial: true` and
 * `missing_shards` when a shard did not answer in time. `DELETE beacons/alerts` and `POST
 * analyze` are done on every shard. `?scope=local` gives this shard's own answer. Everything
 * else (telemetry, config, health) is the local app's.
 */
export function clusterApp(deps: ClusterAppDeps): Hono {
  const app = new Hono();
  const { local, bus, shard, shards } = deps;
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    const path = url.pathname;
    const method = c.req.method;
    const spread = (method === 'GET' && GATHERED.has(path)) || BROADCAST[path] === method;
    if (!spread || url.searchParams.get('scope') === 'local') return local.fetch(c.req.raw, c.env);
    // The local app answers first: authentication, parameter checks and their errors are its.
    const own = await localAnswer({ local, self: deps.self }, { method, url: path + url.search }, Object.fromEntries(c.req.raw.headers));
    if (own.status >= 400) return c.body(own.body, own.status as 400, { 'Content-Type': own.contentType });
    const { answers, missing } = await bus.gather({ method, url: path + url.search });
    const good = answers.filter((a) => a.status < 400);
    const silent = [...missing, ...answers.filter((a) => a.status >= 400).map((a) => a.shard)].sort((a, b) => a - b);
    const missingLabels = silent.map((i) => label(i, shards));
    if (path === '/api/v1/metrics') {
      const text = mergeMetrics([own.body, ...good.map((a) => a.body)]);
      const headers: Record<string, string> = { 'Content-Type': own.contentType };
      if (silent.length > 0) headers['X-Beacon-Partial'] = `missing shards ${missingLabels.join(', ')}`;
      return c.body(silent.length > 0 ? `# partial: shards ${missingLabels.join(', ')} did not answer\n${text}` : text, 200, headers);
    }
    const mine = JSON.parse(own.body) as Json;
    const theirs = good.map((a) => JSON.parse(a.body) as Json);
    let merged: Record<string, Json>;
    const listing = LISTINGS[path];
    if (method === 'GET' && listing) merged = mergeListing(listing, [mine, ...theirs], url.searchParams.get('limit'));
    else if (path === '/api/v1/analyze') merged = mergeAnalyze([mine, ...theirs]) as Record<string, Json>;
    else if (method === 'DELETE') merged = mine as Record<string, Json>;
    else {
      const selves = [mine, ...theirs].map((a) => (a as Record<string, Json>).cluster_shard).filter(Boolean);
      for (const a of [mine, ...theirs]) delete (a as Record<string, Json>).cluster_shard;
      merged = sumDeep(mine, theirs) as Record<string, Json>;
      if (path === '/api/v1/status') {
        const members = selves.map((s) => ({ ...(s as Record<string, Json>), status: 'ok' })) as Json[];
        for (const i of silent) members.push({ shard: label(i, shards), status: 'missing' });
        members.sort((a, b) => String((a as Record<string, Json>).shard).localeCompare(String((b as Record<string, Json>).shard), undefined, { numeric: true }));
        merged.cluster = { ...(deps.cluster as Record<string, Json>), shards, this_shard: label(shard, shards), members } as Json;
      }
    }
    merged.shards_answered = good.length + 1;
    merged.partial = silent.length > 0;
    if (silent.length > 0) merged.missing_shards = missingLabels;
    return c.json(merged);
  });
  return app;
}
