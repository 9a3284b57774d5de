import { decodeBatch } from '../src/internal/decodeBatch.js';
import { parseBatch } from '../src/internal/parseBatch.js';
import { decodeTelemetryEvent } from '../src/telemetry/decode.js';
const BATCH=5000;
function mk(b:number){const events=[];let n=b*BATCH;for(let i=0;i<BATCH;i++,n++){const t=1_700_000_000+Math.floor(n/2000)*60+(n%2000)*0.01;events.push({timestamp_ns:Math.round(t*1e9),timestamp_utc:new Date(t*1000).toISOString(),src_ip:`10.0.${(n>>8)&7}.${n&255}`,dst_ip:'203.0.113.9',src_port:40000+(n%20000),dst_port:443,packet_size:310,protocol:6,protocol_name:'TCP',tcp_flags:2,tcp_flags_list:['SYN'],direction:1,direction_name:'EGRESS',node_id:'dp-bench',connection_key:`x${n}`});}
return Buffer.from(JSON.stringify({batch_id:`b${b}`,node_id:'dp-bench',events}));}
const bufs=Array.from({length:20},(_,b)=>mk(b));
for(let r=0;r<5;r++){let a=0,b=0,c=0;
for(const buf of bufs){let t0=performance.now();const d=await decodeBatch(buf,5000);a+=performance.now()-t0;
t0=performance.now();const v=JSON.parse(buf.toString());const evs=v.events.map((e:unknown,i:number)=>decodeTelemetryEvent(e,i,'x'));b+=performance.now()-t0;
t0=performance.now();await parseBatch(buf,5000);c+=performance.now()-t0;
if(d.chunks[0]!.events.length!==evs.length) throw new Error('mismatch');}
console.log(`per batch: fast ${(a/20).toFixed(1)} ms, JSON.parse+decode ${(b/20).toFixed(1)} ms, old parseBatch ${(c/20).toFixed(1)} ms`);}
