/** Options of `Detector.importState`. */
export interface ImportStateOptions {
  /**
   * The snapshot came from a store this detector (or one like it) wrote, such as a
   * `DetectorStore`: addresses are not re-parsed (the structure and every number are still
   * checked, naming the path of a bad value). Use the default for snapshots from elsewhere.
   * @default false
   */
  trusted?: boolean;
}
