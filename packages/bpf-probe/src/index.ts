export { openProbe } from './openProbe.js';
export { Probe } from './probe.js';
export type { ProbeEvents } from './probe.js';
export type {
  AttachModeOption,
  ProbeCounters,
  ProbeOptions,
  TcModeOption,
  TestRunHook,
  TestRunResult,
} from './options.js';
export { ProbeError, isProbeError } from './probeError.js';
export type { ProbeErrorCode } from './probeError.js';
export { probeSupport } from './probeSupport.js';
export { diagnoseProbe } from './diagnoseProbe.js';
export type { DiagnoseOptions, ProbeCheck, ProbeDiagnosis } from './diagnoseProbe.js';
export type { ProbeSupport } from './probeSupport.js';
export type { ProbeNameCounters } from './internal/names.js';
