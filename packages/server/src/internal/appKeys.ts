import type { Hono } from 'hono';

/** Apps built by createApp with an API key, so `listen()` can refuse an open non-loopback bind. */
export const APPS_WITH_KEY: WeakSet<Hono> = new WeakSet();

/** The live-stream hub of each app, so `listen()`'s close can end open streams at once. */
export const STREAM_HUBS: WeakMap<Hono, { closeAll(): void }> = new WeakMap();
