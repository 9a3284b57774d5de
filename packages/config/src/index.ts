export {
  beaconConfigSchema,
  dataPlaneSchema,
  controlPlaneSchema,
  detectionSchema,
  alertingSchema,
  loggingSchema,
  persistenceSchema,
  whitelistSchema,
  benignBaselineSchema,
  clusterSchema,
} from './schema.js';
export type { BeaconConfig, BeaconConfigInput } from './schema.js';
export { ConfigError, isConfigError } from './configError.js';
export type { ConfigErrorCode, ConfigIssue } from './configError.js';
export { parseConfig, validateConfig, loadConfig, defaultConfig, formatIssues } from './loadConfig.js';
export { toDetectorConfig } from './toDetectorConfig.js';
export { MAX_BODY_BYTES, MAX_CONFIG_BYTES, MAX_INTERVAL_SECONDS, MAX_LIST_LENGTH } from './limits.js';
export type { DetectorSections } from './toDetectorConfig.js';
