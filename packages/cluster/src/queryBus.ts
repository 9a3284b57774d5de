import type { NatsConnection, Subscription } from '@nats-io/transport-node';

/** A request one shard asks the others to answer from their own state. */
export interface ShardRequest {
  method: string;
  /** Path and query string, e.g. `/api/v1/beacons?limit=50`. */
  url: string;
}

/** One shard's answer. */
export interface ShardAnswer {
  /** 1-based shard index. */
  shard: number;
  status: number;
  contentType: string;
  body: string;
}

/** The answers gathered, and the shards that did not answer in time. */
export interface Gathered {
  answers: ShardAnswer[];
  /** 1-based indices of the shards missing. */
  missing: number[];
}

/** Options of {@link QueryBus}. */
export interface QueryBusOptions {
  nc: NatsConnection;
  /** Stream name: queries of one cluster never reach another sharing the NATS server. */
  stream: string;
  /** This shard, 1-based, and the shard count. */
  shard: number;
  shards: number;
  /** Milliseconds to wait for the others. @default 2000 */
  timeoutMs?: number;
}

const encoder = new TextEncoder();

/**
 * Scatter-gather over NATS request/reply: {@link gather} publishes a request on
 * `beacon.query.<stream>` and collects the other shards' answers until all came or the
 * timeout passed; {@link serve} answers the others' requests from this shard's own state.
 */
export class QueryBus {
  readonly #o: Required<QueryBusOptions>;
  #sub: Subscription | undefined;

  constructor(options: QueryBusOptions) {
    this.#o = { timeoutMs: 2000, ...options };
  }

  get #subject(): string {
    return `beacon.query.${this.#o.stream}`;
  }

  /** Answers other shards' requests with `handler` (this shard's local answer). */
  serve(handler: (req: ShardRequest) => Promise<Omit<ShardAnswer, 'shard'>>): void {
    const sub = (this.#sub = this.#o.nc.subscribe(this.#subject));
    void (async () => {
      for await (const m of sub) {
        let req: ShardRequest & { from: number };
        try {
          req = m.json<ShardRequest & { from: number }>();
        } catch {
          continue;
        }
        if (req.from === this.#o.shard) continue;
        void handler(req).then(
          (a) => m.respond(encoder.encode(JSON.stringify({ ...a, shard: this.#o.shard }))),
          (error: unknown) => m.respond(encoder.encode(JSON.stringify({ shard: this.#o.shard, status: 500, contentType: 'application/json', body: JSON.stringify({ error: (error as Error).message }) }))),
        );
      }
    })();
  }

  /** Asks every other shard; resolves with their answers and the shards that stayed silent. */
  async gather(req: ShardRequest): Promise<Gathered> {
    const others = this.#o.shards - 1;
    const answers: ShardAnswer[] = [];
    if (others > 0) {
      try {
        const replies = await this.#o.nc.requestMany(this.#subject, encoder.encode(JSON.stringify({ ...req, from: this.#o.shard })), { strategy: 'count', maxMessages: others, maxWait: this.#o.timeoutMs });
        for await (const m of replies) {
          try {
            const a = m.json<ShardAnswer>();
            if (Number.isInteger(a.shard) && !answers.some((x) => x.shard === a.shard)) answers.push(a);
          } catch {
            // an answer that is not JSON counts as missing
          }
        }
      } catch {
        // no responders, or disconnected: every other shard is missing
      }
    }
    const got = new Set(answers.map((a) => a.shard));
    const missing: number[] = [];
    for (let i = 1; i <= this.#o.shards; i++) if (i !== this.#o.shard && !got.has(i)) missing.push(i);
    return { answers, missing };
  }

  /** Stops answering. */
  close(): void {
    this.#sub?.unsubscribe();
  }
}
