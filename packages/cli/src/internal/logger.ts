import { createWriteStream } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { BeaconConfig } from '@beacon/config';

const LEVELS: Record<string, string> = { warning: 'warn', critical: 'fatal' };

/**
 * The process logger from the `logging:` section: JSON lines (`format: json`) or one readable
 * line per record (`format: text`), to stderr or to `logging.file`.
 */
export function createLogger(config: BeaconConfig['logging'], name = 'beacon'): Logger {
  const level = LEVELS[config.level] ?? config.level;
  const destination = config.file ? createWriteStream(config.file, { flags: 'a' }) : process.stderr;
  if (config.format === 'json') return pino({ name, level, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  // Text: "2026-01-01T00:00:00.000Z INFO message key=value", readable without extra tooling.
  const write = (line: string): void => {
    const rec = JSON.parse(line) as Record<string, unknown>;
    const { level: lv, time, msg, name: _n, pid: _p, hostname: _h, ...rest } = rec;
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    destination.write(`${String(time)} ${pino.levels.labels[lv as number]?.toUpperCase() ?? lv} ${String(msg ?? '')}${extra ? ` ${extra}` : ''}\n`);
  };
  return pino({ name, level, timestamp: pino.stdTimeFunctions.isoTime }, { write });
}
