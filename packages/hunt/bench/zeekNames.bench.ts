/**
 * What the Zeek name join costs: the same generated day read (and hunted) from conn.log alone
 * and from conn.log with an ssl.log naming every connection by uid (ssl rows in a shuffled
 * order, as a uid's rows may arrive); every name rotates over 4 addresses. Then what name
 * keying costs a hunt of that log: the same joined stream hunted with its names, and with each
 * event's name cleared before the detector sees it (read alike, keyed by address only). Prints
 * rows/s and the ratios, best of ROUNDS.
 *   pnpm --filter @beacon/hunt bench:zeek-names
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZeekLogs } from '@beacon/sources';
import { createHunt } from '../src/createHunt.js';
import { mulberry32 } from '@beacon/synth';

const T0 = 1_700_000_000;
const ROWS = Number(process.env.ROWS ?? 400_000);
const PAIRS = Number(process.env.PAIRS ?? 4000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const rng = mulberry32;

const header = (path: string, fields: string[]): string =>
  [`#separator \\x09`, '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, `#fields\t${fields.join('\t')}`].join('\n') + '\n';

const dir = mkdtempSync(join(tmpdir(), 'beacon-zeek-names-'));
const connPath = join(dir, 'conn.log');
const sslPath = join(dir, 'ssl.log');
{
  const r = rng(7);
  const conn: string[] = [header('conn', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'orig_pkts'])];
  const ssl: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const p = Math.floor(r() * PAIRS);
    const ts = (T0 + (i / ROWS) * 86_400).toFixed(6);
    const uid = `C${i.toString(36)}`;
    const src = `10.0.${(p >> 2) % 200 >> 8}.${((p >> 2) % 200) & 255}`;
    const dst = `198.51.${(p >> 8) & 255}.${p & 255}`;
    conn.push(`${ts}\t${uid}\t${src}\t${40_000 + (i % 20_000)}\t${dst}\t443\ttcp\tssl\t0.5\t${300 + (i % 97)}\t900\tSF\t5\n`);
    ssl.push(`${ts}\t${uid}\t${src}\t${40_000 + (i % 20_000)}\t${dst}\t443\tTLSv13\tsvc${p >> 2}.example.net\n`);
  }
  // ssl rows a little out of order (Zeek writes a row when the handshake ends)
  for (let i = 0; i + 8 < ssl.length; i += 8) [ssl[i], ssl[i + 7]] = [ssl[i + 7] as string, ssl[i] as string];
  writeFileSync(connPath, conn.join('') + '#close\t2024-01-01-00-00-00\n');
  writeFileSync(sslPath, header('ssl', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'version', 'server_name']) + ssl.join('') + '#close\t2024-01-01-00-00-00\n');
}

async function measure(paths: string[], hunt: boolean, keyNames = true): Promise<{ sec: number; cpu: number; named: number; scored: number }> {
  const h = hunt ? createHunt({ detector: { maxPairs: 1_000_000 }, trusted: true }) : undefined;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let named = 0;
  for await (const batch of readZeekLogs(paths)) {
    for (const e of batch) {
      if (e.serverName === undefined) continue;
      named++;
      if (!keyNames) (e as { serverName?: string | undefined }).serverName = undefined;
    }
    h?.push(batch);
  }
  const scored = h ? h.finish().length : 0;
  const c = process.cpuUsage(c0);
  return { sec: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, named, scored };
}

const cases: Array<[string, string[], boolean, boolean]> = [
  ['read conn.log', [connPath], false, true],
  ['read conn.log + ssl.log', [connPath, sslPath], false, true],
  ['hunt conn.log', [connPath], true, true],
  ['hunt conn.log + ssl.log', [connPath, sslPath], true, true],
  ['hunt joined, names unkeyed', [connPath, sslPath], true, false],
];
const best = new Map<string, { sec: number; cpu: number; named: number; scored: number }>();
try {
  await measure([connPath], false); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, paths, hunt, keyNames] of cases) {
      const r = await measure(paths, hunt, keyNames);
      const b = best.get(name);
      best.set(name, { sec: Math.min(b?.sec ?? Infinity, r.sec), cpu: Math.min(b?.cpu ?? Infinity, r.cpu), named: r.named, scored: r.scored });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`Zeek name join, ${ROWS.toLocaleString('en-US')} conn rows each named by ssl.log, best of ${ROUNDS}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (${cpus().length} cores; compare the ratios)`);
for (const [name] of cases) {
  const r = best.get(name)!;
  const base = best.get(name.startsWith('read') ? 'read conn.log' : 'hunt conn.log')!;
  console.log(`  ${name.padEnd(26)} ${Math.round(ROWS / r.sec).toLocaleString('en-US').padStart(10)} rows/s  named ${r.named}${r.scored ? `, ${r.scored} pairs scored` : ''}  time ratio ${(r.sec / base.sec).toFixed(3)}, cpu ratio ${(r.cpu / base.cpu).toFixed(3)}`);
}
const keyed = best.get('hunt conn.log + ssl.log')!;
const unkeyed = best.get('hunt joined, names unkeyed')!;
console.log(`  name keying in a hunt of the joined log (keyed / unkeyed): time ratio ${(keyed.sec / unkeyed.sec).toFixed(3)}, cpu ratio ${(keyed.cpu / unkeyed.cpu).toFixed(3)}; target (issue 13) <= 1.15`);
