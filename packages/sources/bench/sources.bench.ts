/**
 * End-to-end read speed and memory of the offline sources on one core.
 * Each measurement runs in a fresh child process, so peak RSS belongs to that file alone;
 * comparing two file sizes shows memory does not grow with the file.
 *   pnpm --filter @beacon/sources bench       (BENCH_ONLY=eve for the Suricata EVE lines only)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSource } from '../src/index.js';
import { writeConnLog, writePcap } from './generate.js';
import { writeEve } from './generateEve.js';

interface Result {
  records: number;
  events: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  heapUsedMiB: number;
}

async function measure(path: string): Promise<Result> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const source = await openSource(path);
  let events = 0;
  for await (const batch of source) {
    events += batch.length;
    if ((events & 0xffff) < batch.length) peak = Math.max(peak, process.memoryUsage.rss());
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  const mib = (n: number): number => Math.round(n / 1048576);
  return { records: source.stats.records, events, seconds, cpuSeconds, peakRssMiB: mib(peak), heapUsedMiB: mib(process.memoryUsage().heapUsed) };
}

if (process.argv[2] === 'measure') {
  const r = await measure(process.argv[3] as string);
  process.stdout.write(JSON.stringify(r));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-sources-bench-'));
  const self = fileURLToPath(import.meta.url);
  const run = (path: string): Result => {
    const child = spawnSync(process.execPath, [...process.execArgv, self, 'measure', path], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout) as Result;
  };
  try {
    console.log(`node ${process.version}, one process per measurement`);
    const line = (what: string, n: number, unit: string, bytes: number, r: Result): string =>
      `${what.padEnd(15)}${fmt(n).padStart(10)} ${unit}  ${mb(bytes).padStart(7)}  ${fmt(Math.round(r.records / r.seconds)).padStart(9)} ${unit}/s wall  ` +
      `${fmt(Math.round(r.records / r.cpuSeconds)).padStart(9)} ${unit}/s per CPU second  ${r.seconds.toFixed(2)} s  ${fmt(r.events)} events  ` +
      `peak RSS ${r.peakRssMiB} MiB  heapUsed ${r.heapUsedMiB} MiB`;
    const all = process.env.BENCH_ONLY !== 'eve';
    for (const n of all ? [1_000_000, 2_000_000] : []) {
      const path = join(dir, `conn-${n}.log`);
      const bytes = writeConnLog(path, n);
      console.log(line('zeek TSV', n, 'rows', bytes, run(path)));
    }
    if (all) {
      const path = join(dir, 'conn.json');
      const bytes = writeConnLog(path, 1_000_000, true);
      console.log(line('zeek JSON', 1_000_000, 'rows', bytes, run(path)));
    }
    for (const n of [1_000_000, 2_000_000]) {
      const path = join(dir, `eve-${n}.json`);
      const bytes = writeEve(path, n);
      console.log(line('EVE mix', n, 'lines', bytes, run(path)));
    }
    {
      const path = join(dir, 'eve-flows.json');
      const bytes = writeEve(path, 1_000_000, true);
      console.log(line('EVE flow only', 1_000_000, 'lines', bytes, run(path)));
    }
    for (const n of all ? [2_000_000, 5_000_000] : []) {
      const path = join(dir, `cap-${n}.pcap`);
      const bytes = writePcap(path, n);
      console.log(line('pcap', n, 'pkts', bytes, run(path)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}
