/**
 * How another security tool hunts for beacons in Zeek logs with @beacon/hunt: the same engine
 * as `beacon analyze`, called from code. It writes a six-hour conn.log of a small office (one
 * implant hidden in it), hunts in it, prints the beacons as beacon rows, and checks each row
 * against the published schema. Exits non-zero if the implant is missed or a row is invalid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beaconRowSchema, huntFiles, toBeaconRow } from '@beacon/hunt';
import { PLANTED, writeConnLog } from './writeConnLog.js';

const dir = mkdtempSync(join(tmpdir(), 'zeek-hunt-'));
let failed = false;
try {
  const log = join(dir, 'conn.log');
  const rows = writeConnLog(log);
  console.log(`wrote ${log}: ${rows} rows`);

  const result = await huntFiles([log], {
    // The detector's options are the config file's `detection`/`whitelist` keys in camelCase.
    detector: { alertThreshold: 0.7, allowlist: { destinationPorts: [53] } },
    onProblem: (file, p) => console.warn(`${file}:${p.line ?? '?'}: ${p.kind}: ${p.message}`),
  });
  const stats = result.files[0]?.stats;
  console.log(`read ${stats?.records} records, ${result.events} events; ${result.scored.length} pairs scored`);

  // Beacons the SOC should look at: periodic, and not a known benign baseline such as NTP.
  const beacons = result.scored.filter((d) => d.isBeacon && d.benignLabel === null).map(toBeaconRow);
  for (const row of beacons) {
    console.log(`${row.severity.padEnd(8)} ${row.pair_key}  score ${row.score}  every ${row.interval ?? '?'} s  (${row.connection_count} connections)`);
    console.log(`         ${row.explanation.summary}`);
  }
  const benign = result.scored.filter((d) => d.benignLabel !== null).map((d) => `${d.pairKey} (${d.benignLabel})`);
  if (benign.length > 0) console.log(`periodic but benign: ${benign.join(', ')}`);

  // Rows are a published contract: another tool can validate what it receives.
  for (const row of beacons) {
    const check = beaconRowSchema.safeParse(JSON.parse(JSON.stringify(row)));
    if (!check.success) {
      console.error(`invalid row ${row.pair_key}: ${check.error.message}`);
      failed = true;
    }
  }
  const found = beacons.find((b) => b.src_ip === PLANTED.src && b.dst_ip === PLANTED.dst && b.dst_port === PLANTED.port);
  if (!found) {
    console.error(`the implant ${PLANTED.src} -> ${PLANTED.dst}:${PLANTED.port} was not found`);
    failed = true;
  } else if (beacons.length !== 1) {
    console.error(`expected only the implant, found ${beacons.length} beacons`);
    failed = true;
  } else console.log('ok: the implant is the one beacon found');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
