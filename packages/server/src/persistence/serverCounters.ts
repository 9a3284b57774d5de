import type { Hono } from 'hono';
import type { ServerState } from '../internal/serverState.js';

/**
 * The server counters of each app built by `createApp`, so the control plane can save them
 * with the detector's and restore them after a restart. `createApp` registers its state here.
 */
export const SERVER_STATES: WeakMap<Hono, ServerState> = new WeakMap();

/** Prefix of the server's counters in a store's counters map. */
export const SERVER_PREFIX = 'server.';

/** The server's lifetime counters, named as the status route shows them, with the `server.` prefix. */
export function readServerCounters(state: ServerState): Record<string, number> {
  const out: Record<string, number> = {
    'server.requests_received': state.requestsReceived,
    'server.batches_processed': state.batchesProcessed,
    'server.events_received': state.eventsReceived,
    'server.events_accepted': state.eventsAccepted,
    'server.events_dropped': state.eventsDropped,
  };
  for (const [reason, n] of state.eventsRejected) out[`server.events_rejected.${reason}`] = n;
  for (const [status, n] of state.batchesRejected) out[`server.batches_rejected.${status}`] = n;
  return out;
}

/** Adds saved counters (see {@link readServerCounters}) to a state's; unknown names are ignored. */
export function restoreServerCounters(state: ServerState, counters: Record<string, number>): void {
  const get = (name: string): number => counters[`${SERVER_PREFIX}${name}`] ?? 0;
  state.requestsReceived += get('requests_received');
  state.batchesProcessed += get('batches_processed');
  state.eventsReceived += get('events_received');
  state.eventsAccepted += get('events_accepted');
  state.eventsDropped += get('events_dropped');
  for (const [name, n] of Object.entries(counters)) {
    if (name.startsWith('server.events_rejected.')) state.reject(name.slice('server.events_rejected.'.length), n);
    else if (name.startsWith('server.batches_rejected.')) {
      const status = Number(name.slice('server.batches_rejected.'.length));
      if (Number.isInteger(status)) state.batchesRejected.set(status, (state.batchesRejected.get(status) ?? 0) + n);
    }
  }
}
