/**
 * Detection quality through the detector (ingest, windows, flows, kinds), on the field cases
 * that synthetic scoring alone does not exercise:
 * - Caldera-style bounded sleep (each sleep uniform in [a, k a], k 2-8, 40-100 callbacks) on a
 *   connection per callback (Zeek rows) and inside one keep-alive connection (a flow start, then
 *   one burst per callback): recall at the alert threshold per k;
 * - reconnect loops of 100-400 failed attempts, periods 0.1-10 s, as Zeek REJ and S0 rows and as
 *   a probe or pcap reader delivers them (SYN then RST, SYN unanswered): the share flagged as a
 *   finding of kind `reconnect`.
 * Usage: pnpm --filter @beacon/detector quality [pairsPerCell] [seed]
 */
import { calderaEvents, detectAll, FAILED_STYLES, reconnectEvents, type Carriage } from '../src/internal/realTraffic.testutil.js';
import { createRng } from '@beacon/synth';
import type { ConnectionEvent } from '../src/index.js';

const perCell = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? 1);
const t0 = performance.now();
const rng = createRng(seed);
const next = (): number => rng.int(0, 0x7fffffff);
const dst = (i: number): string => `198.18.${(i >> 8) & 255}.${i & 255}`;
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

console.log(`Through the detector (seed ${seed}, ${perCell} pairs per cell, default configuration)\n`);
console.log('Bounded sleep, uniform in [a, k a], 40-100 callbacks: recall (is_beacon) at the alert threshold\n');
console.log('| k | a connection per callback | one keep-alive connection |');
console.log('|---:|---:|---:|');
let worstBounded = 1;
for (let k = 2; k <= 8; k++) {
  const cells: string[] = [];
  for (const carriage of ['separate', 'keep-alive'] as Carriage[]) {
    const events: ConnectionEvent[] = [];
    for (let i = 0; i < perCell; i++) events.push(...calderaEvents(k, carriage, 40 + (next() % 61), next(), dst(i)));
    const found = detectAll(events);
    let hit = 0;
    for (let i = 0; i < perCell; i++) if (found.get(dst(i))?.isBeacon === true) hit++;
    worstBounded = Math.min(worstBounded, hit / perCell);
    cells.push(pct(hit / perCell));
  }
  console.log(`| ${k} | ${cells.join(' | ')} |`);
}

// control: memoryless connections with the same counts and mean sleep must not be flagged
{
  const events: ConnectionEvent[] = [];
  for (let i = 0; i < perCell; i++) {
    let t = 1_700_000_000;
    const n = 40 + (next() % 61);
    for (let j = 0; j < n; j++) {
      t += -Math.log(1 - rng.next()) * 20;
      events.push({ tsSec: Math.floor(t), tsNsec: Math.round((t % 1) * 1e6) * 1000, srcIp: '10.0.0.5', dstIp: dst(i), srcPort: 40_000 + j, dstPort: 443, protocol: 6, direction: 'egress', bytes: 700, packets: 4, tcpFlags: 0x1b, kind: 'flow_start', node: 'test', durationSec: 0.4 });
    }
  }
  const found = detectAll(events);
  let hit = 0;
  for (let i = 0; i < perCell; i++) if (found.get(dst(i))?.isBeacon === true) hit++;
  console.log(`| control: memoryless, mean 20 s | ${pct(hit / perCell)} flagged | |`);
}

console.log('\nReconnect loops of failed attempts: flagged as a finding of kind reconnect\n');
console.log(`| period | jitter | attempts | ${FAILED_STYLES.join(' | ')} |`);
console.log(`|---:|---:|---:|${FAILED_STYLES.map(() => '---:|').join('')}`);
let loops = 0;
let flagged = 0;
const misses: string[] = [];
for (const period of [0.1, 0.2, 0.5, 0.8, 1, 2, 5, 10]) {
  for (const jitter of [0, 0.2, 0.5]) {
    for (const attempts of [100, 400]) {
      const cells: string[] = [];
      for (const style of FAILED_STYLES) {
        const n = Math.max(4, Math.round(perCell / 10));
        const events: ConnectionEvent[] = [];
        for (let i = 0; i < n; i++) events.push(...reconnectEvents(period, jitter, attempts, style, next(), dst(i)));
        const found = detectAll(events);
        let hit = 0;
        for (let i = 0; i < n; i++) {
          const d = found.get(dst(i));
          if (d?.isBeacon === true && d.kind === 'reconnect') hit++;
          else misses.push(`${period} s, jitter ${jitter}, ${attempts} attempts, ${style}: ${d === undefined ? 'not scored' : `kind ${d.kind}, score ${d.result.score.toFixed(3)}, reason ${d.reason}`}`);
        }
        loops += n;
        flagged += hit;
        cells.push(pct(hit / n));
      }
      console.log(`| ${period} s | ${jitter} | ${attempts} | ${cells.join(' | ')} |`);
    }
  }
}
console.log(`\nBounded sleep: lowest recall of any k and connection mode ${pct(worstBounded)}`);
console.log(`Reconnect loops: ${flagged} of ${loops} flagged as reconnect findings (${pct(flagged / loops)})`);
for (const m of misses.slice(0, 10)) console.log(`  missed: ${m}`);
console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
