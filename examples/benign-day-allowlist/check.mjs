// Runs the built `beacon analyze` on the benign day with config.yaml and fails (exit 1) when
// any pair is still flagged: a beacon that no allowlist entry or benign baseline explains.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dataset = '../../../shared/datasets/stratosphere-008-benign-day/conn.log.labeled';
const cli = '../../packages/cli/dist/bin.js';

if (!existsSync(new URL(dataset, import.meta.url))) {
  console.log(`skipped: the benign-day dataset is not at ${dataset} (see the project's datasets README)`);
  process.exit(0);
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
