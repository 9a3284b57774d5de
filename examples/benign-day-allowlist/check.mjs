// Runs the built `beacon analyze` on the benign day with config.yaml and fails (exit 1) when
// any pair is still flagged: a beacon that no allowlist entry or benign baseline explains.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// The benign day is CTU-Normal-40 day 1 (Stratosphere Laboratory, CTU Prague; public, GPL-2.0):
// pass the conn.log as the argument, or a folder holding it as BEACON_DATASETS.
const given = process.argv[2] ?? (process.env.BEACON_DATASETS ? join(process.env.BEACON_DATASETS, 'stratosphere-008-benign-day', 'conn.log.labeled') : undefined);
const cli = '../../packages/cli/dist/bin.js';

if (given === undefined) {
  console.log('skipped: no benign-day conn.log given (node check.mjs <conn.log>, or BEACON_DATASETS=<folder>)');
  process.exit(0);
}
const dataset = resolve(given);
if (!existsSync(dataset)) {
  console.error(`the benign-day conn.log is not at ${dataset}`);
  process.exit(1);
}
if (!existsSync(new URL(cli, import.meta.url))) {
  console.error(`the CLI is not built (${cli} missing): run \`pnpm build\` first`);
  process.exit(1);
}
const out = execFileSync(process.execPath, [cli, 'analyze', dataset, '-c', 'config.yaml', '--json', '--all'], { cwd: here, encoding: 'utf8' });
const pairs = JSON.parse(out);
const flagged = pairs.filter((p) => p.is_beacon && p.benign_label === null);
console.log(`${pairs.length} pairs scored with the allowlist, ${flagged.length} flagged`);
for (const p of flagged) console.log(`  flagged: ${p.src_ip} -> ${p.dst_ip}:${p.dst_port}/${p.protocol} score ${p.score} interval ${p.interval}s`);
process.exit(flagged.length === 0 ? 0 : 1);
