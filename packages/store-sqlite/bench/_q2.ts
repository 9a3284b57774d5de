import Database from 'better-sqlite3';
const db = new Database('/tmp/pe/r.db', { readonly: true });
const q = (sql: string): string => { const t0=performance.now(); db.prepare(sql).raw().all(); return (performance.now()-t0).toFixed(0); };
for (let r=0;r<3;r++){
console.log(`full ${q('SELECT src_ip, dst_ip, dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows, history FROM pairs ORDER BY seq')} | ip+blob ${q('SELECT src_ip, dst_ip, history FROM pairs ORDER BY seq')} | blob ${q('SELECT history FROM pairs ORDER BY seq')} | nums ${q('SELECT dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows FROM pairs ORDER BY seq')} | count ${q('SELECT count(*) FROM pairs')}`);}
