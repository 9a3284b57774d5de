import type { Worker } from 'node:worker_threads';
import { EventColumnsDecoder, SourceError } from '@beacon/sources';
import { HuntError } from '../../huntError.js';
import { startWorker } from '../startWorker.js';
import type { ToMain, ToWorker } from './messages.js';

/** One parse worker: messages in arrival order, and the decoder that follows its tables. */
export class ParseWorker {
  readonly decoder: EventColumnsDecoder;
  private readonly worker: Worker;
  private readonly inbox: ToMain[] = [];
  private waiting: ((m: ToMain) => void) | undefined;
  private failed: HuntError | undefined;
  /** Whether the worker has loaded its modules (it says so once). */
  ready = false;

  constructor(reuseEvents: boolean) {
    this.decoder = new EventColumnsDecoder(reuseEvents);
    this.worker = startWorker('parseWorker.js', './parallel/parseWorker.ts');
    this.worker.on('message', (m: ToMain) => {
      if (m.type === 'ready') this.ready = true;
      else this.deliver(m);
    });
    this.worker.on('error', (error) => {
      this.failed = new HuntError('WORKER_FAILED', `parse worker failed: ${error.message}`, { cause: error });
      this.deliver({ type: 'error', message: this.failed.message, sourceCode: undefined });
    });
    this.worker.on('exit', (code) => {
      if (code !== 0 && this.failed === undefined) this.deliver({ type: 'error', message: `parse worker exited with code ${code}`, sourceCode: undefined });
    });
  }

  private deliver(m: ToMain): void {
    const w = this.waiting;
    if (w !== undefined) {
      this.waiting = undefined;
      w(m);
    } else this.inbox.push(m);
  }

  send(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  /** The next message; a worker's `error` message is thrown as the error it stands for. */
  async next(): Promise<Exclude<ToMain, { type: 'error' | 'ready' }>> {
    const m = this.inbox.shift() ?? (await new Promise<ToMain>((resolve) => (this.waiting = resolve)));
    if (m.type === 'error') {
      if (m.sourceCode !== undefined) throw new SourceError(m.sourceCode, m.message);
      throw this.failed ?? new HuntError('WORKER_FAILED', m.message);
    }
    return m as Exclude<ToMain, { type: 'error' | 'ready' }>;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Parse workers, started on first use and shared by the files of one hunt. */
export class ParsePool {
  private readonly workers: ParseWorker[] = [];

  constructor(
    readonly size: number,
    private readonly reuseEvents: boolean,
  ) {}

  /** The first `n` workers (started as needed). */
  take(n: number): ParseWorker[] {
    while (this.workers.length < Math.min(n, this.size)) this.workers.push(new ParseWorker(this.reuseEvents));
    return this.workers.slice(0, n);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
  }
}
