import { createWriteStream, openSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { BeaconConfig } from '@beacon/config';

const LEVELS: Record<string, string> = { warning: 'warn', critical: 'fatal' };

/**
 * Opens the log file now, so that a missing directory or a permission problem is one clear
 * start-up error naming the key, not an unhandled stream `error` event with a stack trace.
 */
function openLogFile(file: string): NodeJS.WritableStream {
  let fd: number;
  try {
    fd = openSync(file, 'a');
  } catch (error) {
    throw new Error(`logging.file: cannot open ${file}: ${(error as Error).message}`, { cause: error });
  }
  const stream = createWriteStream(file, { fd, flags: 'a' });
  // A write failing later (disk full) must not kill the process through an unhandled event.
  stream.on('error', (error) => process.stderr.write(`beacon: logging.file: writing ${file} failed: ${error.message}\n`));
  return stream;
}

/**
 * The process logger from the `logging:` section: JSON lines (`format: json`) or one readable
 * line per record (`format: text`), to stderr or to `logging.file`.
 */
export function createLogger(config: BeaconConfig['logging'], name = 'beacon'): Logger {
  const level = LEVELS[config.level] ?? config.level;
  const destination = config.file ? openLogFile(config.file) : process.stderr;
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
