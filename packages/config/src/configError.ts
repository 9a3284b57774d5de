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
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly issues: readonly ConfigIssue[];

  constructor(code: ConfigErrorCode, message: string, issues: readonly ConfigIssue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.issues = issues;
  }
}

/** True when `error` is a {@link ConfigError} (checked by name and code, so it works across copies). */
export function isConfigError(error: unknown): error is ConfigError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'ConfigError' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
