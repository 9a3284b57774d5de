/**
 * Errors of talking to the control plane, apart from the HTTP client (`client.ts`), so that the
 * command line and commands that never talk to a server do not load the client.
 * @module
 */

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
