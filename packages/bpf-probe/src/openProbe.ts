import { hostname } from 'node:os';
import { trackForCleanup } from './internal/cleanup.js';
import { loadNative, type NativeConfig, type NativeHandle } from './internal/native.js';
import { Namer } from './internal/names.js';
import { missingPrivileges } from './internal/privileges.js';
import type { ProbeOptions } from './options.js';
import { Probe } from './probe.js';
import { isProbeError, ProbeError, type ProbeErrorCode } from './probeError.js';

const NATIVE_CODES: readonly ProbeErrorCode[] = ['interface_not_found', 'permission_denied', 'load_failed', 'attach_failed'];

function check(ok: boolean, what: string): void {
  if (!ok) throw new ProbeError('invalid_options', `openProbe: ${what}`);
}

function seconds(value: number, name: string, min: number): number {
  check(Number.isFinite(value) && value >= min, `${name} must be a number >= ${min} (seconds), got ${value}`);
  return Math.round(value * 1e9);
}

function toNativeConfig(o: ProbeOptions): NativeConfig {
  const {
    attachMode = 'auto', tc = 'auto', egress = true, idleGap = 1, flowTimeout = 120, closeLinger = 10,
    sweepInterval = 1, ringBufferPages = 64, mapSize = 65_536, trackTcp = true, trackUdp = true,
    queueCapacity = 65_536, wakeupBytes = 256 * 1024, serverNames = true, payloadRingPages = 256,
  } = o;
  check(typeof o.interface === 'string' && o.interface.length > 0 && o.interface.length < 16, 'interface must be a network interface name');
  check(['auto', 'xdp', 'xdp-native', 'xdp-generic', 'tc'].includes(attachMode), `unknown attachMode '${attachMode}'`);
  check(['auto', 'tcx', 'clsact'].includes(tc), `unknown tc mode '${tc}'`);
  check(Number.isInteger(ringBufferPages) && ringBufferPages >= 1 && (ringBufferPages & (ringBufferPages - 1)) === 0 && ringBufferPages <= 262_144,
    `ringBufferPages must be a power of two, got ${ringBufferPages}`);
  check(Number.isInteger(mapSize) && mapSize >= 16 && mapSize <= 16_777_216, `mapSize must be an integer in 16..16777216, got ${mapSize}`);
  check(Number.isInteger(queueCapacity) && queueCapacity >= 64 && queueCapacity <= 16_777_216, `queueCapacity must be an integer in 64..16777216`);
  check(Number.isInteger(wakeupBytes) && wakeupBytes >= 0, 'wakeupBytes must be a non-negative integer');
  check(Number.isInteger(payloadRingPages) && payloadRingPages >= 1 && (payloadRingPages & (payloadRingPages - 1)) === 0 && payloadRingPages <= 262_144,
    `payloadRingPages must be a power of two, got ${payloadRingPages}`);
  return {
    ifname: o.interface,
    ingress: attachMode,
    tc,
    egress: egress ? 1 : 0,
    idleGapNs: seconds(idleGap, 'idleGap', 0),
    flowTimeoutNs: seconds(flowTimeout, 'flowTimeout', 0.001),
    lingerNs: seconds(closeLinger, 'closeLinger', 0),
    sweepIntervalNs: seconds(sweepInterval, 'sweepInterval', 0.001),
    wakeupBytes,
    ringPages: ringBufferPages,
    mapEntries: mapSize,
    queueCapacity,
    trackTcp: trackTcp ? 1 : 0,
    trackUdp: trackUdp ? 1 : 0,
    capturePayloads: serverNames ? 1 : 0,
    payloadRingPages,
  };
}

function nativeError(cause: unknown): ProbeError {
  if (isProbeError(cause)) return cause;
  const err = cause as { code?: unknown; message?: unknown };
  const code = NATIVE_CODES.find((c) => c === err.code) ?? 'internal';
  let message = typeof err.message === 'string' ? err.message : String(cause);
  if (code === 'permission_denied') message += ': run as root, or with CAP_BPF + CAP_NET_ADMIN (and CAP_PERFMON)';
  if (code === 'load_failed') message += ' (the kernel needs eBPF with ring buffers and BPF atomics: Linux >= 5.12)';
  return new ProbeError(code, message, { cause });
}

/** Why `auto` ordered the ingress hooks as it did, for the start-up log line. */
function attachNote(mode: string, probe: Probe): string {
  if (mode !== 'auto') return '';
  return probe.virtualDevice
    ? ` (auto: ${probe.driver} is a virtual device, TC ingress preferred to native XDP)`
    : ` (auto: ${probe.driver} is a NIC, native XDP preferred)`;
}

/**
 * Loads the kernel programs, attaches them to `options.interface` and starts the event stream.
 * Hooks are chosen as in {@link ProbeOptions.attachMode}: on a NIC native XDP, then generic
 * XDP, then TC ingress; on a virtual device (veth, ...) TC ingress first; TC egress through a
 * TCX link, else a clsact filter. The active mode is logged, with why `auto` chose it.
 *
 * @throws {@link ProbeError} saying what is missing (`native_missing`, `permission_denied`,
 * `interface_not_found`, `load_failed`, `attach_failed`, `invalid_options`, ...) and how to fix it.
 * @example
 * ```ts
 * const probe = await openProbe({ interface: 'eth0', idleGap: 1 });
 * probe.on('event', (e) => console.log(e.kind, e.srcIp, '->', e.dstIp, e.dstPort));
 * process.once('SIGINT', () => void probe.close());
 * ```
 */
export async function openProbe(options: ProbeOptions): Promise<Probe> {
  const config = toNativeConfig(options);
  if (process.platform !== 'linux') {
    throw new ProbeError('unsupported_platform', `the eBPF probe needs Linux (this is ${process.platform})`);
  }
  const native = loadNative();
  const missing = missingPrivileges();
  if (missing) throw new ProbeError('permission_denied', missing);
  const { node = hostname(), highWaterMark = 16_384, handleSignals = true, serverNames = true, nameWait = 1, maxDnsNames = 65_536 } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  check(Number.isInteger(highWaterMark) && highWaterMark >= 1, 'highWaterMark must be a positive integer');
  check(Number.isFinite(nameWait) && nameWait >= 0 && nameWait <= 60, `nameWait must be 0..60 seconds, got ${nameWait}`);
  check(Number.isInteger(maxDnsNames) && maxDnsNames >= 1, 'maxDnsNames must be a positive integer');
  const namer = serverNames
    ? new Namer({ holdMs: nameWait * 1000, maxHeldStarts: config.queueCapacity, maxFlowNames: config.mapEntries, maxDnsNames })
    : undefined;

  // The reader thread may report records before the Probe object exists; they wait in the queue.
  const ref: { probe?: Probe } = {};
  let handle: NativeHandle;
  try {
    handle = native.open(config, () => ref.probe?.onReady());
  } catch (cause) {
    throw nativeError(cause);
  }
  const probe = new Probe(native, handle, node, highWaterMark, namer);
  ref.probe = probe;
  if (handleSignals) trackForCleanup(probe);
  log(`eBPF attachment mode: ${probe.attachMode}${attachNote(config.ingress, probe)}`);
  if (probe.fallbacks) log(`eBPF fallbacks: ${probe.fallbacks}`);
  return probe;
}
