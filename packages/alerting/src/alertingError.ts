import { BeaconError, errorGuard } from '@beacon/detector';
/**
 * What went wrong, as a stable string a caller can switch on.
 *
 * - `INVALID_OPTIONS`: a sink, dispatcher or config value is missing or malformed.
 * - `INVALID_ALERT`: the beacon item or alert given is not usable.
 * - `SINK_CLOSED`: a sink was used after `close()`.
 * - `CONNECTION_FAILED`: a socket could not be opened or broke while writing.
 * - `UNSUPPORTED_SOCKET`: the unix socket is a datagram socket and the optional `unix-dgram` addon is not installed.
 * - `HTTP_STATUS`: a webhook answered with a status that is not 2xx.
 * - `TIMEOUT`: an attempt or a whole delivery took longer than allowed.
 * - `DELIVERY_FAILED`: any other failure of a sink's `send`, with the original as `cause`.
 */
export type AlertingErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_ALERT'
  | 'SINK_CLOSED'
  | 'CONNECTION_FAILED'
  | 'UNSUPPORTED_SOCKET'
  | 'HTTP_STATUS'
  | 'TIMEOUT'
  | 'DELIVERY_FAILED';

/** Extra facts attached to an {@link AlertingError}. */
export interface AlertingErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Name of the sink involved, if any. */
  sink?: string;
  /** HTTP status of the last webhook answer, for `HTTP_STATUS`. */
  status?: number;
}

/**
 * The one error class of `@beacon/alerting`. Check it with {@link isAlertingError}, which
 * works across copies of the package, rather than with `instanceof`.
 *
 * @example
 * ```ts
 * try { new WebhookSink({ url: 'not a url' }); }
 * catch (err) { if (isAlertingError(err) && err.code === 'INVALID_OPTIONS') console.error(err.message); }
 * ```
 */
export class AlertingError extends BeaconError<AlertingErrorCode> {
  override readonly name = 'AlertingError' as const;
  /** Name of the sink involved, if any. */
  readonly sink: string | undefined;
  /** HTTP status of the last webhook answer, for `HTTP_STATUS`. */
  readonly status: number | undefined;

  constructor(code: AlertingErrorCode, message: string, options: AlertingErrorOptions = {}) {
    super(code, message, options);
    this.sink = options.sink;
    this.status = options.status;
  }
}

/** True when `value` is an {@link AlertingError} (checked by `name` and `code`, not `instanceof`). */
export const isAlertingError: (value: unknown) => value is AlertingError = errorGuard<AlertingError>('AlertingError', ['INVALID_OPTIONS', 'INVALID_ALERT', 'SINK_CLOSED', 'CONNECTION_FAILED', 'UNSUPPORTED_SOCKET', 'HTTP_STATUS', 'TIMEOUT', 'DELIVERY_FAILED']);

/** Wraps anything thrown by a sink into an {@link AlertingError}, keeping one that already is. */
export function toAlertingError(error: unknown, sink: string): AlertingError {
  if (isAlertingError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AlertingError('DELIVERY_FAILED', `sink "${sink}" failed: ${message}`, { cause: error, sink });
}
