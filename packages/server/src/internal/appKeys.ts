import type { Hono } from 'hono';

/** Apps built by createApp with an API key, so `listen()` can refuse an open non-loopback bind. */
export const APPS_WITH_KEY: WeakSet<Hono> = new WeakSet();
