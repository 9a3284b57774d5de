/** A connection record as some other tool (a proxy, an EDR, a flow collector) might store it. */
export interface ConnectionRecord {
  /** Epoch milliseconds. */
  startedAtMs: number;
  /** Bytes sent by the client. */
  bytesOut: number;
}

/** A small seeded generator (mulberry32) so the example prints the same thing every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Cobalt Strike-like beacon: 60 s sleep, 30 % jitter that only shortens it, one missed beat. */
export function beaconRecords(count: number, seed: number): ConnectionRecord[] {
  const rnd = seeded(seed);
  const out: ConnectionRecord[] = [];
  let t = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    if (i !== 17) out.push({ startedAtMs: t, bytesOut: 240 + Math.round(10 * rnd()) });
    t += 60_000 * (1 - 0.3 * rnd());
  }
  return out;
}

/** Independent requests at the same mean rate (a Poisson process) with varied sizes. */
export function randomRecords(count: number, seed: number): ConnectionRecord[] {
  const rnd = seeded(seed);
  const out: ConnectionRecord[] = [];
  let t = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    out.push({ startedAtMs: t, bytesOut: Math.round(200 + 3000 * rnd()) });
    t += -51_000 * Math.log(1 - rnd());
  }
  return out;
}
