/** Lets timers and I/O run before the caller goes on (a macrotask turn, not a microtask). */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
