/**
 * What name keying costs a hunt: the same synthetic day hunted three ways in one run, rows
 * without names, rows that all carry a server name (every event also lands on a name-keyed
 * pair), and names switched off at the source (the events stripped of names). Prints events/s
 * and the ratios. Target (issue 13): named <= 15 % slower than unnamed; unnamed costs nothing.
 *   pnpm --filter @beacon/hunt bench:names
 */
import { cpus, loadavg } from 'node:os';
import type { ConnectionEvent } from '@beacon/detector';
import { createHunt } from '../src/createHunt.js';
import { mulberry32 } from '@beacon/synth';

const T0 = 1_700_000_000;
const PAIRS = Number(process.env.PAIRS ?? 4000);
const EVENTS = Number(process.env.EVENTS ?? 600_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const rng = mulberry32;

type Mode = 'plain' | 'solo' | 'rotating';

/**
 * A name as a reader hands it over: its own flat string per row, decoded from the input's bytes.
 * (A template literal's result is a rope that V8 flattens, allocating, the first time it is
 * hashed or compared: no reader produces those, and they made names look dearer than they are.)
 */
const asRead = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');

const SRC_IPS = Array.from({ length: 200 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
const DST_IPS = Array.from({ length: PAIRS }, (_, p) => asRead(`198.51.${(p >> 8) & 255}.${p & 255}`));

/**
 * A day of traffic over PAIRS address pairs; each name fronts 4 addresses and one source talks
 * to all 4 (the rotating case: every name also makes a name-keyed pair, PAIRS / 4 of them).
 */
function day(mode: Mode): ConnectionEvent[] {
  const r = rng(5);
  const out: ConnectionEvent[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const p = Math.floor(r() * PAIRS);
    const t = T0 + (i / EVENTS) * 86_400;
    const tsSec = Math.floor(t);
    const e: ConnectionEvent = {
      tsSec,
      tsNsec: Math.floor((t - tsSec) * 1e9),
      srcIp: SRC_IPS[(p >> 2) % SRC_IPS.length] as string,
      dstIp: DST_IPS[p] as string,
      srcPort: 40_000 + (i % 20_000),
      dstPort: 443,
      protocol: 6,
      direction: 'egress',
      bytes: 300 + (i % 97),
      packets: 5,
      tcpFlags: 0x1b,
      kind: 'flow_start',
      node: 'bench',
      durationSec: 0.5,
    };
    if (mode === 'rotating') e.serverName = asRead(`svc${p >> 2}.example.net`);
    else if (mode === 'solo') e.serverName = asRead(`svc${p}.example.net`);
    out.push(e);
  }
  return out;
}

/** Wall and CPU seconds (the process's, GC threads included) of one hunt. */
function hunt(events: readonly ConnectionEvent[]): { sec: number; cpu: number; pairs: number } {
  const h = createHunt({ detector: { maxPairs: 1_000_000 }, trusted: true });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < events.length; i += 4096) h.push(events.slice(i, i + 4096));
  const scored = h.finish();
  const c = process.cpuUsage(c0);
  return { sec: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, pairs: scored.length };
}

const ALL: Mode[] = ['plain', 'solo', 'rotating'];
/** MODES=rotating (comma separated) hunts only those (for profiling one case); ratios need plain. */
const modes: Mode[] = process.env.MODES === undefined ? ALL : ALL.filter((m) => (process.env.MODES as string).split(',').includes(m));
const data = new Map(modes.map((m) => [m, day(m)]));
const best = new Map(modes.map((m) => [m, Infinity]));
const bestCpu = new Map(modes.map((m) => [m, Infinity]));
const pairs = new Map<Mode, number>();
hunt((data.get(modes[0] as Mode) as ConnectionEvent[]).slice(0, 50_000)); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const m of modes) {
    const r = hunt(data.get(m) as ConnectionEvent[]);
    best.set(m, Math.min(best.get(m) as number, r.sec));
    bestCpu.set(m, Math.min(bestCpu.get(m) as number, r.cpu));
    pairs.set(m, r.pairs);
  }
}
const rate = (m: Mode): string => (!best.has(m) ? 'not run' : `${Math.round(EVENTS / (best.get(m) as number)).toLocaleString('en-US')} events/s (${pairs.get(m)} pairs scored)`);
const ratioOf = (times: Map<Mode, number>, m: Mode): string => (!times.has(m) || !times.has('plain') ? '-' : ((times.get(m) as number) / (times.get('plain') as number)).toFixed(3));
const ratio = (m: Mode): string => `time ratio ${ratioOf(best, m)}, cpu ratio ${ratioOf(bestCpu, m)}`;
const load = loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`name keying, ${EVENTS.toLocaleString('en-US')} events over ${PAIRS} address pairs, best of ${ROUNDS}, load average ${load} (${cpus().length} cores; compare the ratios)`);
console.log(`  no names:                             ${rate('plain')}`);
console.log(`  every row named, one address a name:  ${rate('solo')}  ${ratio('solo')}`);
console.log(`  every row named, names rotate over 4: ${rate('rotating')}  ${ratio('rotating')}`);
console.log('  target (issue 13): named <= 1.15');
