/** Options of {@link DnsNameTable}. */
export interface DnsNameTableOptions {
  /**
   * Most addresses remembered; when full, the least recently answered address is forgotten and
   * counted in {@link DnsNameTable.evicted}.
   * @default 65536
   */
  maxEntries?: number;
  /**
   * Seconds an answer stays usable beyond its TTL: resolvers and applications cache past the
   * TTL, and a beacon often resolves once and reconnects for a while.
   * @default 300
   */
  graceSec?: number;
}

interface Entry {
  name: string;
  /** Time (seconds) after which the answer no longer names the address. */
  until: number;
}

/**
 * Names addresses from DNS answers: `address -> question name`, valid for the answer's TTL plus
 * a grace period, bounded in size (least recently answered forgotten first, counted). Used to
 * give a connection without a TLS SNI or HTTP Host the name its client resolved. A later answer
 * for the same address replaces the earlier one.
 */
export class DnsNameTable {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly graceSec: number;
  /** Addresses forgotten because the table was full. */
  evicted = 0;
  /** Answers learned. */
  learned = 0;

  constructor(options: DnsNameTableOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 65536);
    this.graceSec = Math.max(0, options.graceSec ?? 300);
  }

  /** Records that `address` answered for `name` at `timeSec`, for `ttlSec` seconds. */
  learn(address: string, name: string, ttlSec: number, timeSec: number): void {
    this.learned++;
    if (this.entries.has(address)) this.entries.delete(address);
    else if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evicted++;
    }
    this.entries.set(address, { name, until: timeSec + ttlSec + this.graceSec });
  }

  /** The name `address` was last answered for, if that answer is still valid at `timeSec`. */
  lookup(address: string, timeSec: number): string | undefined {
    if (this.entries.size === 0) return undefined;
    const e = this.entries.get(address);
    if (e === undefined) return undefined;
    // Answers seen slightly after the connection (capture order) still count.
    return timeSec <= e.until ? e.name : undefined;
  }

  /** Addresses currently remembered. */
  get size(): number {
    return this.entries.size;
  }
}
