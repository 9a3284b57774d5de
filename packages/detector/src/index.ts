export type { ConnectionEvent, Direction, EventKind, PairDirection, PairKind } from './event.js';
export type { BeaconEvidence, BeaconItem } from './beaconItem.js';
export { Protocol, eventTime, splitTime, protocolName, protocolNumber, pairKey, isFailedAttempt } from './event.js';
export { hostAddresses } from './hostAddresses.js';
export { isServerNameText } from './internal/serverNames.js';
export type { AllowlistMatcher } from './allowlist.js';
export { createAllowlist } from './allowlist.js';
export { connectionEventSchema } from './eventSchema.js';
export { ipv4Text, ipv4TextCached, ipv6Text, parseIpv4, parseIpv6, parseIpv4Bytes, parseIpv4BytesInt32, canonicalIp, formatIpv4, formatIpv6, Ipv4TextCache } from './ipText.js';
export { parseEvent } from './parseEvent.js';
export type {
  DetectorConfig,
  DetectorConfigInput,
  AllowlistConfig,
  BenignBaselineConfig,
  BenignPattern,
  BenignPatternInput,
} from './config.js';
export { DEFAULT_DETECTOR_CONFIG, DEFAULT_INTERNAL_NETWORKS } from './config.js';
export { detectorConfigSchema, resolveConfig } from './configSchema.js';
export type { DetectorErrorCode } from './detectorError.js';
export { DetectorError, isDetectorError } from './detectorError.js';
export { BeaconError, errorGuard } from '@beacon/scoring';
export type { DetectorOptions } from './detector.js';
export { Detector, createDetector } from './detector.js';
export type { AlertDecision, Detection } from './detection.js';
export type { AnalysisReport, AnalysisRun } from './analysisRun.js';
export type { AlertEvent, DetectorEvents, EvictionEvent, EvictionReason } from './detectorEvents.js';
export type { IngestIssue, IngestOutcome, IngestResult, RejectReason } from './ingestResult.js';
export type { BeaconQuery, ConnectionQuery, LongConnection, LongConnectionQuery, PairDetail, PairQuery, PairSummary } from './queries.js';
export type { DetectorStats } from './detectorStats.js';
export type { CooldownSnapshot, DetectorState, PairHistory, PairSnapshot } from './detectorState.js';
export { toBeaconItem } from './toBeaconItem.js';
export type { DetectorStore, StateDelta } from './detectorStore.js';
export { MemoryStore } from './memoryStore.js';
export type { IngestBatchOptions } from './ingestBatchOptions.js';
export type { ImportStateOptions } from './importStateOptions.js';
