import { describe, expect, it } from 'vitest';
import { runFuzz } from './runFuzz.js';
import { TARGETS } from './targets.js';

// The bounded fuzz run of CI: every parser, a few hundred mutated inputs each (a few seconds
// per parser). `pnpm fuzz` runs the same targets with 100,000 cases each.
const CASES = Number(process.env.BEACON_FUZZ_CASES ?? 400);

describe('fuzz: every input is accepted or rejected with a named reason', () => {
  for (const target of TARGETS)
    it(target.name, { timeout: 120_000 }, async () => {
      const report = await runFuzz(target, CASES, 17_000);
      expect(report.findings, report.findings.map((f) => `case ${f.caseNo}: ${f.error}\ninput (base64): ${f.input}`).join('\n\n')).toEqual([]);
      expect(report.hangs).toBe(0);
      expect(report.accepted + report.rejected).toBe(CASES);
      // the mutations reach past the first check: something is accepted, something refused
      expect(report.accepted, JSON.stringify(report.reasons)).toBeGreaterThan(0);
      expect(report.rejected).toBeGreaterThan(0);
    });
});
