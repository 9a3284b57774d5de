import { gzipSync, gunzipSync } from 'node:zlib';
import { createDetector } from '@beacon/detector';
import { decodeTelemetryEvent } from '../src/telemetry/decode.js';
const BATCH=5000;
function mk(b:number){const events=[];let n=b*BATCH;for(let i=0;i<BATCH;i++,n++){const t=1_700_000_000+Math.floor(n/2000)*60+(n%2000)*0.01;events.push({timestamp_ns:Math.round(t*1e9),timestamp_utc:new Date(t*1000).toISOString(),src_ip:`10.0.${(n>>8)&7}.${n&255}`,dst_ip:'203.0.113.9',src_port:40000+(n%20000),dst_port:443,packet_size:310,protocol:6,protocol_name:'TCP',tcp_flags:2,tcp_flags_list:['SYN'],direction:1,direction_name:'EGRESS',node_id:'dp-bench',connection_key:`x${n}`});}
return JSON.stringify({batch_id:`b${b}`,node_id:'dp-bench',events});}
const texts=Array.from({length:20},(_,b)=>mk(b));const gz=texts.map(t=>gzipSync(t));
const det=createDetector({now:()=>1_700_100_000});
for(let r=0;r<3;r++){let tg=0,tp=0,td=0,ti=0,tt=0;
for(const g of gz){let t0=performance.now();const buf=gunzipSync(g);tg+=performance.now()-t0;t0=performance.now();const s=buf.toString('utf8');tt+=performance.now()-t0;t0=performance.now();const v=JSON.parse(s);tp+=performance.now()-t0;t0=performance.now();const evs=v.events.map((e:unknown,i:number)=>decodeTelemetryEvent(e,i,'x'));td+=performance.now()-t0;t0=performance.now();det.ingestBatch(evs,{trusted:true});ti+=performance.now()-t0;}
const n=gz.length;console.log(`per batch: gunzip ${(tg/n).toFixed(1)} toString ${(tt/n).toFixed(1)} parse ${(tp/n).toFixed(1)} decode ${(td/n).toFixed(1)} ingest ${(ti/n).toFixed(1)} ms`);}
