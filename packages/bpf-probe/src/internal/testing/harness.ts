/** Shared pieces of the live tests: the skip reason, probe bookkeeping and polling. */
import type { ConnectionEvent } from '@beacon/detector';
import { openProbe } from '../../openProbe.js';
import type { ProbeOptions } from '../../options.js';
import type { Probe } from '../../probe.js';
import { nativeBuilt } from '../native.js';
import { canUseNetns } from './netns.js';

/** Why the live tests cannot run here, or undefined when they can. */
export function liveSkipReason(): string | undefined {
  if (!canUseNetns()) return 'live eBPF tests need Linux, root and iproute2';
  if (!nativeBuilt()) return 'live eBPF tests need the native build: pnpm --filter @beacon/bpf-probe build:native';
  return undefined;
}

export interface Recorded {
  probe: Probe;
  events: ConnectionEvent[];
}

const opened: Probe[] = [];

/** Opens a probe that records every event; closed by closeAll(). */
export async function record(options: ProbeOptions): Promise<Recorded> {
  const probe = await openProbe({ log: () => {}, ...options });
  opened.push(probe);
  const events: ConnectionEvent[] = [];
  probe.on('event', (e) => events.push(e));
  return { probe, events };
}

export async function closeAll(): Promise<void> {
  for (const probe of opened.splice(0)) await probe.close();
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, stepMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
