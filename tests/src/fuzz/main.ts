import { runFuzz, type FuzzReport } from './runFuzz.js';
import { TARGETS } from './targets.js';

// `pnpm fuzz [cases] [target substring, or =whole name]`: the long fuzz run, 100,000 cases per parser by default.
const cases = Number(process.argv[2] ?? process.env.BEACON_FUZZ_CASES ?? 100_000);
const only = process.argv[3];
const reports: FuzzReport[] = [];
for (const target of TARGETS) {
  // `=name` matches a whole target name; anything else, a part of one
  if (only && (only.startsWith('=') ? target.name.toLowerCase() !== only.slice(1).toLowerCase() : !target.name.toLowerCase().includes(only.toLowerCase()))) continue;
  const r = await runFuzz(target, cases, 1, (p) =>
    process.stderr.write(`${p.target}: ${p.cases} cases, ${p.seconds.toFixed(0)} s, ${p.accepted} accepted, ${p.rejected} rejected, ${p.findings.length} uncaught so far\n`),
  );
  reports.push(r);
  const top = Object.entries(r.reasons).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v}`).join('; ');
  process.stdout.write(
    `${r.target}: ${r.cases} cases in ${r.seconds.toFixed(1)} s, ${r.accepted} accepted, ${r.rejected} rejected (${Object.keys(r.reasons).length} reasons; top: ${top}), ${r.findings.length} uncaught, ${r.hangs} hangs (${r.slowRechecked} slow among others, re-run alone), slowest alone ${r.maxMs.toFixed(1)} ms\n`,
  );
  for (const f of r.findings.slice(0, 3)) process.stdout.write(`  case ${f.caseNo}: ${f.error.split('\n')[0]}\n`);
}
const bad = reports.reduce((n, r) => n + r.findings.length + r.hangs, 0);
process.stdout.write(`\n${JSON.stringify({ cases_per_parser: cases, uncaught: reports.reduce((n, r) => n + r.findings.length, 0), hangs: reports.reduce((n, r) => n + r.hangs, 0) })}\n`);
process.exitCode = bad > 0 ? 1 : 0;
