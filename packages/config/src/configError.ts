import { BeaconError, errorGuard } from '@beacon/detector';

/** What went wrong with a configuration. */
export type ConfigErrorCode = 'CONFIG_NOT_FOUND' | 'CONFIG_SYNTAX' | 'CONFIG_INVALID';

/** One problem in a configuration file, located as precisely as the file allows. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `detection.min_connections`. */
  path: string;
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** 1-based column in the file, when known. */
  column?: number;
}

/** Raised for a missing, unparsable or invalid configuration; `issues` lists every problem. */
export class ConfigError extends BeaconError<ConfigErrorCode> {
  override readonly name = 'ConfigError' as const;
  readonly issues: readonly ConfigIssue[];

  constructor(code: ConfigErrorCode, message: string, issues: readonly ConfigIssue[] = [], options?: { cause?: unknown }) {
    super(code, message, options);
    this.issues = issues;
  }
}

/** True when `error` is a {@link ConfigError} (checked by name and code, so it works across copies). */
export const isConfigError: (error: unknown) => error is ConfigError = errorGuard<ConfigError>('ConfigError');
