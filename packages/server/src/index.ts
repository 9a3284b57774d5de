export type { TelemetryBatch, TelemetryEvent, DataPlaneStats } from './telemetry/wire.js';
export { decodeTelemetry, canonicalIp, TelemetryFormatError } from './telemetry/decode.js';
export type { DecodedTelemetry, RejectedEvent } from './telemetry/decode.js';
export { encodeTelemetryBatches, toTelemetryEvent } from './telemetry/encode.js';
export type { EncodeOptions } from './telemetry/encode.js';
