import { BeaconError, errorGuard } from '@beacon/detector';
/**
 * What went wrong while serving a request, as a stable string a caller can switch on. Each
 * code maps to one HTTP status in {@link SERVER_ERROR_STATUS}.
 *
 * - `BAD_REQUEST`: a query parameter or body field is malformed (400, with `path`).
 * - `INVALID_JSON`: the body is not JSON (400, with the position).
 * - `INVALID_CONFIG`: a configuration update names a bad key or value (400, with `path`).
 * - `UNAUTHORIZED`: the API key is missing or wrong (401).
 * - `FORBIDDEN`: a write from a foreign `Origin`, or a `Host` that is not this server's (403).
 * - `NOT_FOUND`: no such route (404).
 * - `METHOD_NOT_ALLOWED`: the route exists but not for this method (405).
 * - `PAYLOAD_TOO_LARGE`: the body, or the body after decompression, is over the limit (413).
 * - `UNSUPPORTED_MEDIA_TYPE`: a `Content-Encoding` or `Content-Type` the server does not read (415).
 * - `UNAVAILABLE`: the server is shutting down (503).
 * - `INSECURE_BIND`: `listen()` was asked to bind beyond loopback without an API key.
 * - `INTERNAL`: anything unexpected (500).
 */
export type ServerErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_JSON'
  | 'INVALID_CONFIG'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE'
  | 'INSECURE_BIND'
  | 'INTERNAL';

/** The HTTP status of each {@link ServerErrorCode}: the one table the server uses. */
export const SERVER_ERROR_STATUS: Readonly<Record<ServerErrorCode, 400 | 401 | 403 | 404 | 405 | 413 | 415 | 500 | 503>> = Object.freeze({
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  INVALID_CONFIG: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  INSECURE_BIND: 500,
  INTERNAL: 500,
});

/** Extra facts attached to a {@link ServerError}. */
export interface ServerErrorOptions {
  /** The field path that was wrong, e.g. `detection.min_connections` or `events`. */
  path?: string;
  /** For `INVALID_JSON`: byte offset of the syntax error in the (decompressed) body. */
  position?: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The one error class of `@beacon/server`. Check it with {@link isServerError} (by `name` and
 * `code`, so it works across copies of the package) rather than `instanceof`.
 * @example
 * throw new ServerError('BAD_REQUEST', 'limit must be a non-negative integer', { path: 'limit' });
 */
export class ServerError extends BeaconError<ServerErrorCode> {
  override readonly name = 'ServerError' as const;
  /** The field path that was wrong, when one is known. */
  readonly path: string | undefined;
  /** For `INVALID_JSON`: byte offset of the syntax error. */
  readonly position: number | undefined;

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super(code, message, options);
    this.path = options.path;
    this.position = options.position;
  }

  /** The HTTP status this error is answered with. */
  get status(): number {
    return SERVER_ERROR_STATUS[this.code];
  }
}

/** True when `value` is a {@link ServerError} (checked by `name` and `code`, not `instanceof`). */
export const isServerError: (value: unknown) => value is ServerError = errorGuard<ServerError>('ServerError', Object.keys(SERVER_ERROR_STATUS) as ServerErrorCode[]);
