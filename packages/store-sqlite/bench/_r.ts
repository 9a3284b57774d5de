import { defaultConfig } from '@beacon/config';
import { createControlPlane } from '@beacon/server';
import { createDetector } from '@beacon/detector';
import { SqliteStore } from '../src/index.js';
import { fullDelta } from '../src/internal/fixtures.testutil.js';
import { existsSync } from 'node:fs';
const path = '/tmp/pe/r.db';
const HISTORY=64, PAIRS=100_000;
if (!existsSync(path)) {
  const nowSec = Date.now()/1000; const pairs=[];
  for (let i = 0; i < PAIRS; i++) { const period = 30 + (i % 600); const start = nowSec - period * HISTORY;
    const times = Array.from({ length: HISTORY }, (_, k) => Math.round((start + k * period + ((i * 7 + k * 13) % 1000) / 1000) * 1000) / 1000);
    pairs.push({ srcIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, dstIp: `198.51.100.${i % 250}`, dstPort: 443, protocol: 6, firstSeen: times[0]!, lastSeen: times[HISTORY - 1]!, count: HISTORY, maxFlowSec: 0, longFlows: 0, times, sizes: times.map((_, k) => 200 + ((i + k) % 900)) }); }
  const s = new SqliteStore({ path }); await s.save(fullDelta({ version: 1, exportedAt: nowSec, pairs, beacons: [], cooldowns: [], counters: {} })); await s.close();
}
for (let r=0;r<3;r++){
let t0=performance.now(); const store = new SqliteStore({ path }); const open=performance.now()-t0;
t0=performance.now(); const st = await store.load(); const load=performance.now()-t0;
const config = defaultConfig(); config.control_plane.data_retention = 7 * 86_400;
const { toDetectorConfig } = await import('@beacon/config');
const d = createDetector({ config: toDetectorConfig(config) });
t0=performance.now(); d.importState(st!); const imp=performance.now()-t0;
t0=performance.now(); d.stats(); d.beacons(); const rest=performance.now()-t0;
console.log(`open ${open.toFixed(0)} load ${load.toFixed(0)} importState ${imp.toFixed(0)} stats+beacons ${rest.toFixed(0)} ms`);
await store.close();}
