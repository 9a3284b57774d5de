/**
 * Hunting speed and memory, whole process, startup included: `beacon analyze --json --all` (the
 * built CLI, `pnpm build` first) on a 12-hour, 700,000-row conn.log of @beacon/synth traffic and
 * on a pcap, with parse workers (auto), one worker and none, and on a Suricata eve.json. Then, in one run on the same input,
 * the hunt against the tick-by-tick analysis it replaced (the ratio is what to compare on a
 * shared machine). Each measurement is a fresh process; peak RSS is the process's maxRSS
 * (all threads).
 *   pnpm --filter @beacon/hunt bench [rounds]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePcap } from '../../sources/bench/generate.js';
import { writeEve } from '../../sources/bench/generateEve.js';
import { writeSynthConnLog } from './generate.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'packages/cli/dist/bin.js');
const rounds = Number(process.argv[2] ?? 3);
const ROWS = 700_000;
const PACKETS = 3_000_000;
const EVE_LINES = 1_000_000;

interface Run {
  wall: number;
  cpu: number;
  rssMiB: number;
  out: string;
}

// Printed by the measured process itself at exit: CPU and peak RSS of all its threads.
const REPORT = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\n@@'+JSON.stringify({cpu:(u.userCPUTime+u.systemCPUTime)/1e6,rss:u.maxRSS*1024})+'\\n')})`;

function measure(args: string[], execArgv: string[] = []): Run {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ['--import', REPORT, ...execArgv, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - t0) / 1000;
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed:\n${child.stderr}`);
  const m = /@@(\{.*\})/.exec(child.stderr);
  const r = JSON.parse(m?.[1] ?? '{"cpu":0,"rss":0}') as { cpu: number; rss: number };
  return { wall, cpu: r.cpu, rssMiB: r.rss / 2 ** 20, out: child.stdout };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function report(name: string, units: number, unit: string, runs: Run[]): void {
  const walls = runs.map((r) => r.wall);
  const best = Math.min(...walls);
  console.log(
    `${name.padEnd(34)} ${fmt(units / best).padStart(10)} ${unit}/s best, ${fmt(units / median(walls)).padStart(10)} median  ` +
      `${fmt(units / median(runs.map((r) => r.cpu))).padStart(10)} per CPU s  ` +
      `(wall ${best.toFixed(2)}-${Math.max(...walls).toFixed(2)} s, cpu ${median(runs.map((r) => r.cpu)).toFixed(2)} s, peak RSS ${Math.max(...runs.map((r) => r.rssMiB)).toFixed(0)} MiB)`,
  );
}

if (!existsSync(cli)) {
  console.log(`build first (pnpm build): ${cli} is missing`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'beacon-hunt-bench-'));
try {
  const log = join(dir, 'conn.log');
  const pcap = join(dir, 'capture.pcap');
  const g = writeSynthConnLog(log, ROWS);
  writePcap(pcap, PACKETS);
  const eve = join(dir, 'eve.json');
  writeEve(eve, EVE_LINES);
  console.log(`node ${process.version}; ${fmt(g.rows)} rows (${(g.bytes / 2 ** 20).toFixed(1)} MiB, 12 h of synth traffic), ${fmt(PACKETS)} packets, ${fmt(EVE_LINES)} EVE lines (flows, alerts, tls/http/dns); ${rounds} rounds, one process per run`);
  const variants: Array<[string, string[], number, string]> = [
    ['analyze --json --all (workers auto)', [cli, 'analyze', log, '--json', '--all'], ROWS, 'rows'],
    ['analyze --json --all --workers 1', [cli, 'analyze', log, '--json', '--all', '--workers', '1'], ROWS, 'rows'],
    ['analyze --json --all --workers 0', [cli, 'analyze', log, '--json', '--all', '--workers', '0'], ROWS, 'rows'],
    ['analyze pcap (workers auto)', [cli, 'analyze', pcap, '--json', '--all'], PACKETS, 'packets'],
    ['analyze pcap --workers 0', [cli, 'analyze', pcap, '--json', '--all', '--workers', '0'], PACKETS, 'packets'],
    ['analyze eve.json', [cli, 'analyze', eve, '--json', '--all'], EVE_LINES, 'lines'],
  ];
  const results = new Map<string, Run[]>();
  for (let r = 0; r < rounds; r++) for (const [name, args] of variants) (results.get(name) ?? results.set(name, []).get(name))?.push(measure(args));
  for (const [name, , units, unit] of variants) report(name, units, unit, results.get(name) ?? []);
  const outs = new Set(variants.slice(0, 3).map(([name]) => results.get(name)?.[0]?.out));
  console.log(`same JSON with and without workers: ${outs.size === 1 ? 'yes' : 'NO'}`);

  // The hunt against the tick-by-tick analysis it replaced, same reader, same process kind.
  const compare = fileURLToPath(new URL('./compareTicked.ts', import.meta.url));
  const tsx = ['--import', 'tsx', '--conditions=@beacon/source'];
  const ticked: number[] = [];
  const fast: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ticked.push(Number(measure([compare, 'ticked', log], tsx).out));
    fast.push(Number(measure([compare, 'fast', log], tsx).out));
  }
  console.log(
    `detector time, tick-by-tick (old) vs scored at the end (new), parse excluded: ${median(ticked).toFixed(2)} s vs ${median(fast).toFixed(2)} s, ` +
      `x${(median(ticked) / median(fast)).toFixed(1)} faster`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
