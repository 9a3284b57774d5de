/** A pair written into a synthetic Zeek conn.log. */
export interface ZeekPair {
  src: string;
  dst: string;
  port: number;
  /** Connection start times, epoch seconds. */
  times: number[];
  bytes: number;
}

/** A small seeded generator (test helper). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A Zeek conn.log (TSV) with the given pairs' connections, in time order. */
export function zeekConnLog(pairs: readonly ZeekPair[]): string {
  const rows: Array<[number, string]> = [];
  let n = 0;
  for (const p of pairs)
    for (const t of p.times) rows.push([t, `${t.toFixed(6)}\tC${n++}\t${p.src}\t${40000 + (n % 20000)}\t${p.dst}\t${p.port}\ttcp\t0.2\t${p.bytes}\t${p.bytes * 2}\tSF`]);
  rows.sort((a, b) => a[0] - b[0]);
  return ['#separator \\x09', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\tresp_bytes\tconn_state', ...rows.map((r) => r[1]), ''].join('\n');
}

/** Connection times of a beacon: `count` callbacks every `period` s with relative `jitter`. */
export function beaconTimes(start: number, period: number, count: number, jitter: number, rand: () => number): number[] {
  const out: number[] = [];
  let t = start;
  for (let i = 0; i < count; i++) out.push((t += period * (1 - jitter * rand())));
  return out;
}

/** Connection times of human-like noise: Poisson arrivals with mean gap `mean` s. */
export function noiseTimes(start: number, mean: number, count: number, rand: () => number): number[] {
  const out: number[] = [];
  let t = start;
  for (let i = 0; i < count; i++) out.push((t += -Math.log(1 - rand()) * mean));
  return out;
}
