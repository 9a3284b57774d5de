import { runFuzz } from './runFuzz.ts';
import { TARGETS } from './targets.ts';
const t = TARGETS.find((x) => x.name.toLowerCase().includes(process.argv[2]!))!;
const r = await runFuzz(t, Number(process.argv[3]), 1);
for (const f of r.findings.slice(0, 4)) console.log(f.caseNo, f.error.split('\n').slice(0, 8).join('\n'), '\nINPUT', JSON.stringify(Buffer.from(f.input, 'base64').toString('latin1').slice(0, 800)));
console.log('done', r.cases);
