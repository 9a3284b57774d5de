const TOKEN_KEY = 'beacon.token';

/** An API call answered with a status other than 2xx. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API token kept for this browser tab (sessionStorage), or null. */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Keeps (or with null, forgets) the API token for this tab. */
export function storeToken(token: string | null): void {
  try {
    if (token === null || token === '') sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // storage disabled: the token lives only as long as the page
  }
}

/** Headers of every API call: the bearer token when one is kept. */
export function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * Calls the control plane's API on the page's own origin. A 401 calls `onUnauthorized` (the
 * token prompt) and throws.
 */
export class Api {
  constructor(private readonly onUnauthorized: () => void) {}

  /** GET or POST JSON. */
  async json<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: init.signal ?? null,
      cache: 'no-store',
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = { error: text.slice(0, 200) };
    }
    if (!res.ok) {
      if (res.status === 401) this.onUnauthorized();
      const msg = typeof body === 'object' && body !== null && 'error' in body ? String((body as { error: unknown }).error) : res.statusText;
      throw new ApiError(res.status, `${init.method ?? 'GET'} ${path}: ${res.status} ${msg}`);
    }
    return body as T;
  }
}
