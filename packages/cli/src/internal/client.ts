/**
 * The control plane's API as the remote commands read it: Hono's typed client over the
 * server's route types (`AppType`), so paths, query parameters and response bodies come from
 * the server's code and are never written out here.
 */
import type { AppType } from '@beacon/server';
import { hc, type InferResponseType } from 'hono/client';
import { HttpError, OfflineError } from './httpErrors.js';

export { HttpError, OfflineError };

/** Where the control plane is and how to authenticate. */
export interface ClientOptions {
  host: string;
  port: number;
  token?: string | undefined;
  /** Use https. */
  tls?: boolean | undefined;
  /** @default 10000 */
  timeoutMs?: number;
}

/** The typed client: `api.api.v1.beacons.$get({ query: { limit: 10 } })`. */
export type ApiClient = ReturnType<typeof hc<AppType>>;

/** A beacon item as `GET /api/v1/beacons` lists it. */
export type BeaconRow = InferResponseType<ApiClient['api']['v1']['beacons']['$get']>['beacons'][number];
/** A connection pair as `GET /api/v1/connections` lists it. */
export type ConnectionRow = InferResponseType<ApiClient['api']['v1']['connections']['$get']>['pairs'][number];
/** A long connection as `GET /api/v1/long-connections` lists it. */
export type LongConnectionRow = InferResponseType<ApiClient['api']['v1']['long-connections']['$get']>['connections'][number];

/** The base URL of the control plane, e.g. `http://localhost:9090`. */
export function baseUrl(o: ClientOptions): string {
  const host = o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host;
  return `${o.tls ? 'https' : 'http'}://${host}:${o.port}`;
}

/** The typed client for a control plane: the token as a bearer header, a timeout per request. */
export function apiClient(o: ClientOptions): ApiClient {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const timeoutMs = o.timeoutMs ?? 10_000;
  return hc<AppType>(baseUrl(o), {
    headers,
    fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
  });
}

interface JsonResponse<T> {
  ok: boolean;
  status: number;
  url: string;
  json(): Promise<T>;
  text(): Promise<string>;
}

/**
 * Awaits one call of the typed client and returns its JSON body.
 * @throws {@link OfflineError} when the server cannot be reached, {@link HttpError} on an error status
 */
export async function read<T>(o: ClientOptions, call: Promise<JsonResponse<T>>): Promise<T> {
  let res: JsonResponse<T>;
  try {
    res = await call;
  } catch (cause) {
    throw new OfflineError(baseUrl(o), cause);
  }
  if (!res.ok) throw new HttpError(res.status, await res.text(), res.url);
  return res.json();
}
