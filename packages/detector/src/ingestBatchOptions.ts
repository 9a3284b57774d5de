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
}
