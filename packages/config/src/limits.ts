/**
 * Bounds on what a configuration may ask for, so a hostile or mistaken file (or config API
 * call) cannot make the process spin, overflow a timer or run out of memory before it starts.
 */

/** Largest configuration file read, bytes. A real one is a few kilobytes. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Most entries in any list (allowlist addresses, ports, pairs, benign patterns, CORS origins). */
export const MAX_LIST_LENGTH = 65_536;

/**
 * Longest timer interval, seconds: Node's timers hold at most 2^31 - 1 ms; a longer delay
 * silently becomes 1 ms, a busy loop.
 */
export const MAX_INTERVAL_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Largest `control_plane.max_body_bytes` and `data_plane.max_batch_bytes`: 1 GiB. */
export const MAX_BODY_BYTES = 1024 * 1024 * 1024;
