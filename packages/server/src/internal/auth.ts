import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ServerError } from '../serverError.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The key a request presents: `X-API-Key: KEY` or `Authorization: Bearer KEY`. */
function presented(headers: Headers): string | null {
  const key = headers.get('x-api-key');
  if (key !== null) return key;
  const auth = headers.get('authorization');
  const m = auth === null ? null : /^Bearer\s+(.+)$/i.exec(auth.trim());
  return m ? m[1]!.trim() : null;
}

/**
 * Checks the API key in constant time (comparing equal-length SHA-256 digests, so neither the
 * key's content nor its length leaks through timing). Applies to every method in `methods`.
 */
export function requireKey(apiKey: string, methods: ReadonlySet<string>): MiddlewareHandler {
  const expected = digest(apiKey);
  return async (c, next) => {
    if (methods.has(c.req.method)) {
      const key = presented(c.req.raw.headers);
      if (key === null || !timingSafeEqual(digest(key), expected)) throw new ServerError('UNAUTHORIZED', 'Unauthorized');
    }
    await next();
  };
}
