import { appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Alert } from './alert.js';
import { AlertingError } from './alertingError.js';
import type { AlertSink } from './alertSink.js';
import { nonEmptyString, positiveInteger } from './internal/validate.js';
import { checkAlertFormat, type JsonAlertFormat } from './formats/alertFormat.js';
import { renderAlertJson } from './formats/renderAlertJson.js';

const JSON_FORMATS: readonly JsonAlertFormat[] = ['beacon', 'ecs', 'ocsf'];

/** Options of the {@link FileSink}. */
export interface FileSinkOptions {
  /** File to append to; its directory is created if missing. */
  path: string;
  /**
   * Rotate before a write would take the file past this size. 0 disables rotation.
   * @default 104857600 (100 MiB, the original's `max_size_mb: 100`)
   */
  maxSizeBytes?: number;
  /**
   * Rotated files kept: `alerts.json.1` (newest) to `alerts.json.N`. 0 truncates instead.
   * @default 5
   */
  backupCount?: number;
  /** Sink name. @default 'file' */
  name?: string;
  /**
   * What each line holds: the alert JSON (`beacon`), its ECS document (`ecs`) or its OCSF
   * Detection Finding (`ocsf`).
   * @default 'beacon'
   */
  format?: JsonAlertFormat;
  /** Host name written into `ecs`/`ocsf` documents. @default os.hostname() */
  hostname?: string;
}

/**
 * Appends each alert as one JSON line (in `format`), rotating by size like Python's `RotatingFileHandler`
 * (which the original used): `alerts.json` -> `alerts.json.1` -> ... -> `alerts.json.N`, the
 * oldest deleted. Writes are serialised, so lines never interleave; each `send` resolves once
 * its line is written.
 */
export class FileSink implements AlertSink {
  readonly name: string;
  readonly path: string;
  readonly #maxSizeBytes: number;
  readonly #backupCount: number;
  readonly #format: JsonAlertFormat;
  readonly #hostname: string;
  #size: number | undefined;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: FileSinkOptions) {
    const { maxSizeBytes = 100 * 1024 * 1024, backupCount = 5, name = 'file' } = options ?? ({} as FileSinkOptions);
    this.name = name;
    const owner = `FileSink "${name}"`;
    this.path = path.resolve(nonEmptyString(owner, 'path', options?.path));
    this.#maxSizeBytes = positiveInteger(owner, 'maxSizeBytes', maxSizeBytes, { allowZero: true });
    this.#backupCount = positiveInteger(owner, 'backupCount', backupCount, { allowZero: true });
    this.#format = checkAlertFormat(owner, options?.format ?? 'beacon', JSON_FORMATS);
    this.#hostname = options?.hostname ?? os.hostname();
  }

  /** Appends the alert's JSON line, rotating first if needed. */
  send(alert: Alert): Promise<void> {
    if (this.#closed) return Promise.reject(new AlertingError('SINK_CLOSED', `sink "${this.name}" is closed`, { sink: this.name }));
    const line = `${renderAlertJson(alert, this.#format, { hostname: this.#hostname })}\n`;
    const write = this.#chain.then(() => this.#write(line));
    this.#chain = write.catch(() => undefined);
    return write;
  }

  /** Resolves once every write started so far has finished. */
  async flush(): Promise<void> {
    await this.#chain;
  }

  /** Finishes pending writes and refuses new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
  }

  async #write(line: string): Promise<void> {
    const bytes = Buffer.byteLength(line, 'utf8');
    try {
      if (this.#size === undefined) {
        await mkdir(path.dirname(this.path), { recursive: true });
        this.#size = await stat(this.path).then((s) => s.size, () => 0);
      }
      if (this.#maxSizeBytes > 0 && this.#size > 0 && this.#size + bytes > this.#maxSizeBytes) {
        await this.#rotate();
        this.#size = 0;
      }
      await appendFile(this.path, line, 'utf8');
      this.#size += bytes;
    } catch (error) {
      this.#size = undefined; // re-read the real size next time
      throw new AlertingError('DELIVERY_FAILED', `sink "${this.name}": cannot write ${this.path}: ${(error as Error).message}`, { cause: error, sink: this.name });
    }
  }

  async #rotate(): Promise<void> {
    if (this.#backupCount === 0) {
      await rm(this.path, { force: true });
      return;
    }
    await rm(`${this.path}.${this.#backupCount}`, { force: true });
    for (let i = this.#backupCount - 1; i >= 1; i -= 1) {
      await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    await rename(this.path, `${this.path}.1`);
  }
}
