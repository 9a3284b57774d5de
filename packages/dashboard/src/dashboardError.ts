/**
 * What went wrong in `@beacon/dashboard`:
 * - `ASSETS_MISSING`: the browser app was not built (run `pnpm --filter @beacon/dashboard build`).
 * - `INVALID_REPORT`: report data that cannot be embedded (the message names the field).
 */
export type DashboardErrorCode = 'ASSETS_MISSING' | 'INVALID_REPORT';

/**
 * The one error class of `@beacon/dashboard`; check it with {@link isDashboardError}.
 * @example
 * try { dashboardAssets(); } catch (e) { if (isDashboardError(e) && e.code === 'ASSETS_MISSING') console.error(e.message); }
 */
export class DashboardError extends Error {
  override readonly name = 'DashboardError';
  constructor(
    readonly code: DashboardErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a {@link DashboardError} (by name and code, across copies of the package). */
export function isDashboardError(e: unknown): e is DashboardError {
  return e instanceof Error && e.name === 'DashboardError' && ((e as DashboardError).code === 'ASSETS_MISSING' || (e as DashboardError).code === 'INVALID_REPORT');
}
