import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { PackedDelta } from './packDelta.js';
import { SQL } from './statements.js';
import { writePacked, type WriteResult } from './writeDelta.js';

const WRITE_STATEMENTS = ['deletePair', 'upsertPair', 'deleteBeacon', 'deleteBeaconState', 'updateBeacon', 'insertBeacon', 'upsertBeaconState', 'deleteCooldown', 'upsertCooldown', 'upsertCounter', 'setMeta'] as const;

/**
 * The thread's program. It is plain JavaScript (evaluated, so it works the same from source and
 * from the build) around `writePacked`, whose source is inserted as is: one transaction per
 * message on the thread's own connection, the result or the error posted back.
 */
const PROGRAM = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const load = process.getBuiltinModule('node:module').createRequire(workerData.sqlite);
const Database = load(workerData.sqlite);
// a transpiler that keeps function names (tsx, esbuild keepNames) wraps nested functions in
// __name(fn, 'name'); the inserted source runs here without its module, so it gets a stand-in
const __name = (target) => target;
const writePacked = (${writePacked.toString()});
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const st = {};
for (const [name, sql] of Object.entries(workerData.sql)) st[name] = db.prepare(sql);
const write = db.transaction((d, seq) => writePacked(st, d, seq));
let seq = workerData.seq;
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  const t0 = performance.now();
  try {
    const r = write(m.delta, seq);
    seq = r.seq;
    parentPort.postMessage({ id: m.id, result: r, ms: performance.now() - t0 });
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
parentPort.postMessage({ ready: true });
`;

interface Reply {
  id: number;
  result?: WriteResult;
  ms?: number;
  error?: { message: string; code?: string };
}

/**
 * Runs the store's writes on a worker thread with its own connection to the file (WAL lets the
 * main connection keep reading), so a large flush never blocks the event loop: the caller
 * only packs the delta into a few flat arrays and transfers them.
 */
export class WriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: { result: WriteResult; ms: number }) => void; reject: (e: Error) => void }>();
  #next = 0;
  #failed: Error | null = null;
  readonly #exited: Promise<void>;

  constructor(path: string, seq: number) {
    const sql = Object.fromEntries(WRITE_STATEMENTS.map((name) => [name, SQL[name]]));
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(PROGRAM, { eval: true, workerData: { path, seq, sql, sqlite } });
    this.#worker.unref();
    this.#worker.on('message', (m: Reply | { ready: true }) => {
      if (!('id' in m)) return;
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (!p) return;
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve({ result: m.result!, ms: m.ms! });
    });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.on('error', (error) => {
      this.#failed = error;
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    });
  }

  /** Writes one packed delta in one transaction on the thread; its buffers are transferred. */
  write(delta: PackedDelta): Promise<{ result: WriteResult; ms: number }> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref(); // a write in flight keeps the process alive until it is committed
      this.#worker.postMessage({ id, delta }, [delta.nums.buffer as ArrayBuffer, delta.lengths.buffer as ArrayBuffer, delta.offsets.buffer as ArrayBuffer, delta.ends.buffer as ArrayBuffer, delta.blobs.buffer as ArrayBuffer]);
    });
  }

  /** Closes the thread's connection and ends it (after the writes already sent). */
  async close(): Promise<void> {
    this.#worker.ref(); // until it has exited
    if (!this.#failed) this.#worker.postMessage('close');
    else await this.#worker.terminate();
    await this.#exited;
  }
}
