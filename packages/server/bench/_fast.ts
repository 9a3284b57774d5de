import { decodeBatch } from '../src/internal/decodeBatch.js';
const BATCH=5000;
function mk(b:number){const events=[];let n=b*BATCH;for(let i=0;i<BATCH;i++,n++){const t=1_700_000_000+Math.floor(n/2000)*60+(n%2000)*0.01;events.push({timestamp_ns:Math.round(t*1e9),timestamp_utc:new Date(t*1000).toISOString(),src_ip:`10.0.${(n>>8)&7}.${n&255}`,dst_ip:'203.0.113.9',src_port:40000+(n%20000),dst_port:443,packet_size:310,protocol:6,protocol_name:'TCP',tcp_flags:2,tcp_flags_list:['SYN'],direction:1,direction_name:'EGRESS',node_id:'dp-bench',connection_key:`10.0.${(n>>8)&7}.${n&255}:${40000+(n%20000)}->203.0.113.9:443/TCP`});}
return Buffer.from(JSON.stringify({batch_id:`b${b}`,node_id:'dp-bench',events}));}
const bufs=Array.from({length:20},(_,b)=>mk(b));
let best=Infinity, bestJ=Infinity;
for(let r=0;r<10;r++){const c0=process.cpuUsage();
for(const buf of bufs){await decodeBatch(buf,5000);}
const c=process.cpuUsage(c0); best=Math.min(best,(c.user+c.system)/1000/20);
const c1=process.cpuUsage(); for(const buf of bufs){JSON.parse(buf.toString());} const cj=process.cpuUsage(c1); bestJ=Math.min(bestJ,(cj.user+cj.system)/1000/20);}
console.log(`decodeBatch best CPU ${best.toFixed(1)} ms/batch; JSON.parse alone ${bestJ.toFixed(1)} ms/batch`);
