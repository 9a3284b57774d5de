/** Options of {@link Detector.ingestBatch}. */
export interface IngestBatchOptions {
  /**
   * The events were already validated by a boundary decoder (such as the server's telemetry
   * decoder): skip the per-event checks, including address syntax at pair creation. Passing
   * unchecked input with `trusted: true` can corrupt state.
   * @default false
   */
  trusted?: boolean;
  /**
   * Count this call in `stats().storage.batches_received`. Set false for the second and later
   * chunks of one request ingested in several calls.
   * @default true
   */
  countBatch?: boolean;
  /**
   * Per event (same index as the batch), a 32-bit hint of its pair: any number that is equal
   * for events of the same (source, destination, destination port, protocol), such as a hash of
   * address ids a reader already has. The detector keeps the pair last found under each hint in
   * a small direct-mapped cache and checks the pair's tuple against the event before using it,
   * so a wrong or colliding hint costs one ordinary lookup, never a misplaced event. Saves the
   * string-keyed pair lookup for most events of a long batch stream.
   */
  pairHints?: ArrayLike<number>;
}
