import { BeaconError, errorGuard } from '@beacon/detector';

/** Why a probe could not be opened or used. */
export type ProbeErrorCode =
  /** An option is out of range or of the wrong type. */
  | 'invalid_options'
  /** The probe needs Linux with eBPF. */
  | 'unsupported_platform'
  /** The native addon or BPF object has not been built. */
  | 'native_missing'
  /** Not root and without CAP_BPF + CAP_NET_ADMIN (or CAP_SYS_ADMIN). */
  | 'permission_denied'
  /** No network interface with the given name. */
  | 'interface_not_found'
  /** The kernel refused the BPF object (no BPF support, verifier rejection, memory limits). */
  | 'load_failed'
  /** No hook could be attached to the interface. */
  | 'attach_failed'
  /** The probe was already closed. */
  | 'closed'
  /** An unexpected failure inside the addon. */
  | 'internal';

/** The one error class of `@beacon/bpf-probe`: a {@link ProbeErrorCode} plus a message saying what to do. */
export class ProbeError extends BeaconError<ProbeErrorCode> {
  override readonly name = 'ProbeError' as const;
}

/** True for a {@link ProbeError}, checked by name and code so it works across module copies. */
export const isProbeError: (value: unknown) => value is ProbeError = errorGuard<ProbeError>('ProbeError');
