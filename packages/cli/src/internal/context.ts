import type { Command } from 'commander';
import type { ClientOptions } from './client.js';
import { colorsFor, type Colors } from './format.js';

/** What every command gets: where the server is, colours, and where to write. */
export interface CommandContext {
  client: ClientOptions;
  colors: Colors;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream;
}

interface GlobalOptions {
  host: string;
  port: string;
  token?: string;
  tls?: boolean;
  color?: boolean;
}

/** Builds the context from a command's global options. */
export function contextOf(cmd: Command): CommandContext {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const port = Number(g.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be 1-65535, got "${g.port}"`);
  return {
    client: { host: g.host, port, token: g.token ?? process.env.BEACON_API_KEY, tls: g.tls },
    colors: colorsFor(process.stdout, g.color),
    out: process.stdout,
    err: process.stderr,
  };
}

/** Parses a numeric option, naming it when it is wrong. */
export function numberOption(name: string, value: string | number, { min, max, integer }: { min?: number; max?: number; integer?: boolean } = {}): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
    const range = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : ''].filter(Boolean).join(' and ');
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}, got "${value}"`);
  }
  return n;
}
