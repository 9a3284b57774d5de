/** A small client for the control plane's HTTP API, used by every remote command. */

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

/** The server could not be reached at all. */
export class OfflineError extends Error {
  override readonly name = 'OfflineError';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`Cannot connect to server at ${url}`, { cause });
  }
}

/** The server answered with an error status. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly body: string,
    url: string,
  ) {
    super(`${url} answered ${status}: ${body.slice(0, 300)}`);
  }
}

/** The base URL of the control plane, e.g. `http://localhost:9090`. */
export function baseUrl(o: ClientOptions): string {
  const host = o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host;
  return `${o.tls ? 'https' : 'http'}://${host}:${o.port}`;
}

/** Calls the API and returns its JSON. */
export async function request<T>(o: ClientOptions, method: string, path: string, body?: unknown): Promise<T> {
  const url = `${baseUrl(o)}${path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
  } catch (cause) {
    throw new OfflineError(baseUrl(o), cause);
  }
  const text = await res.text();
  if (!res.ok) throw new HttpError(res.status, text, url);
  return JSON.parse(text) as T;
}

/** Builds a query string from the defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
