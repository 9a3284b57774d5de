import { SqliteStore } from '../src/index.js';
const path = '/tmp/pe/r.db';
for (let r=0;r<3;r++){ const store = new SqliteStore({ path, check: false });
const t0=performance.now(); await store.load(); console.log(`load ${(performance.now()-t0).toFixed(0)} ms`); await store.close(); }
