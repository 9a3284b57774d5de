import { createDetector } from '../src/index.js';
const T0 = 1_700_000_000;
const pairs = [];
for (let i = 0; i < 20000; i++) pairs.push({ src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, dst: `203.0.${(i >> 8) & 255}.${i & 255}`, port: 443 + (i % 7) });
function mk(k0: number, per: number, ends: boolean) {
  const out = [];
  for (let k = k0; k < k0 + per; k++) for (const p of pairs) out.push({ tsSec: T0 + k * 60, tsNsec: 0, srcIp: p.src, dstIp: p.dst, srcPort: 40000 + (k % 1000), dstPort: p.port, protocol: 6, direction: 'egress', bytes: 300, packets: 3, tcpFlags: 2, kind: ends && k % 4 === 3 ? 'flow_end' : 'flow_start', node: 'b' });
  return out;
}
for (const [name, cfg, ends] of [['starts only, default open-flow cap', {}, false], ['with ends', {}, true], ['huge openflow cap', { maxOpenFlows: 1e8 }, false]] as const) {
  const d = createDetector({ config: cfg, now: () => T0 });
  d.ingestBatch(mk(0, 10, ends as boolean));
  const evs = mk(10, 100, ends as boolean);
  const t = performance.now();
  for (let i = 0; i < evs.length; i += 10000) d.ingestBatch(evs.slice(i, i + 10000));
  const s = (performance.now() - t) / 1000;
  console.log(name, (evs.length / s).toFixed(0), 'ev/s', JSON.stringify(d.stats().evictions));
}
