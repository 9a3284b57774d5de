import Database from 'better-sqlite3';
import { unpackHistory } from '../src/internal/history.js';
const db = new Database('/tmp/pe/r.db', { readonly: true });
for (let r=0;r<3;r++){
let t0=performance.now(); const rows = db.prepare('SELECT src_ip, dst_ip, dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows, history FROM pairs ORDER BY seq').raw().all() as unknown[][]; const q=performance.now()-t0;
t0=performance.now(); const rows2 = db.prepare('SELECT src_ip, dst_ip, dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows FROM pairs ORDER BY seq').raw().all() as unknown[][]; const q2=performance.now()-t0;
t0=performance.now(); for (const r of rows) unpackHistory(r[9] as Uint8Array); const u=performance.now()-t0;
console.log(`query ${q.toFixed(0)} (no blob ${q2.toFixed(0)}) unpack ${u.toFixed(0)} ms ${rows2.length}`);}
