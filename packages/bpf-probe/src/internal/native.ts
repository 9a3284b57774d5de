import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProbeError } from '../probeError.js';

/** Configuration the addon's `open` reads (native/addon.c). */
export interface NativeConfig {
  ifname: string;
  ingress: string;
  tc: string;
  egress: number;
  idleGapNs: number;
  flowTimeoutNs: number;
  lingerNs: number;
  sweepIntervalNs: number;
  wakeupBytes: number;
  ringPages: number;
  mapEntries: number;
  queueCapacity: number;
  trackTcp: number;
  trackUdp: number;
  /** Hand first client payloads and DNS responses to user space (server names). */
  capturePayloads: number;
  /** Size of the payload ring buffer in 4 KiB pages. */
  payloadRingPages: number;
  /** Tests only: 0 loads the program as on a kernel without bpf_xdp_load_bytes (< 5.18). */
  xdpCapture?: number;
  /** Tests only: make TC ingress attachment fail, to exercise the fallbacks after it. */
  failTcIngress?: number;
}

/** Raw counters as the addon reports them. */
export interface NativeCounters {
  packetsSeen: number;
  recordsSent: number;
  ringbufDrops: number;
  flowTableFull: number;
  parseErrors: number;
  nonIp: number;
  nonTcpUdp: number;
  filtered: number;
  payloadRecords: number;
  payloadDrops: number;
  recordsQueued: number;
  queueDepth: number;
  idleEvictions: number;
  queueFullWaits: number;
}

/** An opaque handle to one opened probe. */
export type NativeHandle = { readonly __brand: 'NativeHandle' };

/** The addon's functions. */
export interface NativeAddon {
  open(config: NativeConfig, onReady: () => void): NativeHandle;
  drain(handle: NativeHandle, maxRecords: number): Buffer | null;
  /** Copies up to `buffer.length / 80` queued records into `buffer`; returns how many. */
  drainInto(handle: NativeHandle, buffer: Uint8Array): number;
  /** Copies up to `buffer.length / 1080` payload records into `buffer`; returns how many. */
  drainPayloads(handle: NativeHandle, buffer: Uint8Array): number;
  counters(handle: NativeHandle): NativeCounters;
  info(handle: NativeHandle): { mode: string; fallbacks: string; ifindex: number; driver: string; virtual: number };
  close(handle: NativeHandle): void;
  testRun(
    handle: NativeHandle,
    hook: string,
    packet: Uint8Array,
    repeat: number,
  ): Promise<{ retval: number; durationNs: number }>;
}

export const BUILD_HINT: string =
  'the npm package ships a prebuilt addon for linux-x64; elsewhere it is built at install, which needs ' +
  '`apt-get install -y libbpf-dev libelf-dev zlib1g-dev make g++ python3` and then `npm rebuild @beacon/bpf-probe`; ' +
  'in a source checkout run `pnpm --filter @beacon/bpf-probe build:native` (also needs clang, llvm, bpftool)';

/** The package root, found from this module whether it runs from src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@beacon/bpf-probe') {
      return dir;
    }
    dir = dirname(dir);
  }
  throw new ProbeError('native_missing', 'cannot locate the @beacon/bpf-probe package directory');
}

/** Where the addon was found: built from source in this package, or a prebuilt one. */
export interface AddonLocation {
  path: string;
  kind: 'local-build' | 'prebuilt';
}

/**
 * The addon to load: a local build (`native/build/Release`, from `build:native` or the install
 * fallback) wins; else the prebuilt one node-gyp-build picks for this platform, architecture
 * and libc from `prebuilds/`. Undefined when neither exists.
 */
export function findAddon(): AddonLocation | undefined {
  const root = packageRoot();
  const local = join(root, 'native', 'build', 'Release', 'beacon_probe.node');
  if (existsSync(local)) return { path: local, kind: 'local-build' };
  try {
    const gypBuild = createRequire(import.meta.url)('node-gyp-build') as { path(dir: string): string };
    return { path: gypBuild.path(root), kind: 'prebuilt' };
  } catch {
    return undefined;
  }
}

/** Absolute path of the addon that would be loaded (the local build's path when there is none). */
export function addonPath(): string {
  return findAddon()?.path ?? join(packageRoot(), 'native', 'build', 'Release', 'beacon_probe.node');
}

let cached: NativeAddon | undefined;

/** Loads the addon on first use; nothing native is loaded by importing the package. */
export function loadNative(): NativeAddon {
  if (cached) return cached;
  const found = findAddon();
  if (found === undefined) {
    throw new ProbeError('native_missing', `no native probe addon for ${process.platform}-${process.arch} (no prebuilt one, not built): ${BUILD_HINT}`);
  }
  const path = found.path;
  try {
    cached = createRequire(import.meta.url)(path) as NativeAddon;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ProbeError(
      'native_missing',
      `the native probe could not be loaded (${why}); it needs ${found.kind === 'prebuilt' ? 'libelf1 and zlib1g' : 'libbpf1 and libelf1'} at runtime: ${BUILD_HINT}`,
      { cause },
    );
  }
  return cached;
}

/** True when an addon is available, prebuilt or built (does not load it). */
export function nativeBuilt(): boolean {
  try {
    return findAddon() !== undefined;
  } catch {
    return false;
  }
}
