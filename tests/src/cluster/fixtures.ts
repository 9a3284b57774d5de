import type { ConnectionEvent } from '@beacon/detector';
import { encodeTelemetryBatches } from '@beacon/server';
import { generateDataset } from '@beacon/synth';

/**
 * Labelled synthetic traffic as telemetry bodies: C2 and benign pairs, a few hosts with
 * several pairs each (so a host's pairs must meet on one shard), all within the last
 * 50 minutes of `nowSec`.
 */
export function telemetryBodies(nowSec: number, seed = 7): { bodies: string[]; events: ConnectionEvent[]; c2Pairs: string[] } {
  const pairs = generateDataset({ seed, pairsPerProfile: 3, events: [20, 40], benignPeriodic: [] }).filter((p) => (p.timestamps.at(-1) ?? 0) - (p.timestamps[0] ?? 0) < 2800);
  const events: ConnectionEvent[] = [];
  const c2Pairs: string[] = [];
  pairs.forEach((p, i) => {
    const src = `10.1.${(i >> 2) & 255}.${10 + (i >> 2)}`; // four pairs per host
    const dst = `198.51.${i & 255}.${1 + (i % 200)}`;
    const port = 443 + (i % 3);
    if (p.label === 'c2') c2Pairs.push(`${src}->${dst}:${port}/TCP`);
    const t0 = nowSec - 3000 - (p.timestamps[0] ?? 0);
    p.timestamps.forEach((t, k) => {
      const sec = t0 + t;
      events.push({ tsSec: Math.floor(sec), tsNsec: Math.round((sec % 1) * 1e6) * 1000, srcIp: src, dstIp: dst, srcPort: 40_000 + k, dstPort: port, protocol: 6, direction: 'egress', bytes: p.sizes[k] ?? 300, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 'dp-fixture' });
    });
  });
  events.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
  return { bodies: encodeTelemetryBatches(events, { nodeId: 'dp-fixture', maxBytes: 256 * 1024 }), events, c2Pairs };
}

/** Polls `ok` every 50 ms until it holds, or throws naming `what`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
