/**
 * A synthetic Suricata eve.json for the benchmark, built from the hand-written record shapes the
 * tests use: a sensor's mix (per 20 lines: 8 flow, 5 dns, 2 tls, 1 http, 1 alert, 1 fileinfo,
 * 1 anomaly, 1 netflow-less stats or smb record), or flow records only.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { dnsAnswerRecord, eveTime, flowRecord, httpRecord, tlsRecord } from '../src/eve/internal/testing/eveSample.js';

const MIX = ['flow', 'dns', 'flow', 'tls', 'flow', 'dns', 'flow', 'alert', 'flow', 'dns', 'flow', 'http', 'flow', 'dns', 'flow', 'tls', 'dns', 'fileinfo', 'anomaly', 'smb'];

/** Writes `lines` EVE lines to `path` (`flowOnly`: flow records only); returns the size in bytes. */
export function writeEve(path: string, lines: number, flowOnly = false): number {
  const fd = openSync(path, 'w');
  let size = 0;
  let out = '';
  let t = Date.UTC(2024, 2, 1) / 1000;
  for (let i = 0; i < lines; i++) {
    t += 0.003;
    const fid = String(1_000_000_000_000_000 + i * 7919);
    const src = `10.${(i >> 16) & 3}.${(i >> 8) & 255}.${i & 255}`;
    const dst = `198.51.${(i * 7) & 255}.${(i * 13) & 255}`;
    const sport = 1024 + (i % 60000);
    const type = flowOnly ? 'flow' : (MIX[i % MIX.length] as string);
    let line: string;
    switch (type) {
      case 'flow':
        line = flowRecord({ flowId: fid, src, sport, dst, dport: 443, proto: i % 5 === 0 ? 'UDP' : 'TCP', start: t - 2, end: t, pktsTs: 9, pktsTc: 8, bytesTs: 1200 + (i % 500), bytesTc: 5000, appProto: 'tls' });
        break;
      case 'dns':
        line = dnsAnswerRecord(fid, t, src, sport, '10.0.0.53', `host${i % 5000}.example.com`, dst);
        break;
      case 'tls':
        line = tlsRecord(fid, t, src, sport, dst, 443, `svc${i % 3000}.example.net`);
        break;
      case 'http':
        line = httpRecord(fid, t, src, sport, dst, `cdn${i % 100}.example.org`);
        break;
      default:
        line = JSON.stringify({ timestamp: eveTime(t), flow_id: Number(fid), in_iface: 'eth0', event_type: type, src_ip: src, src_port: sport, dest_ip: dst, dest_port: 445, proto: 'TCP', [type]: { signature_id: 2000000 + (i % 100), signature: 'ET INFO sample signature text for the benchmark', category: 'Misc activity', severity: 3, filename: '/share/file.bin', size: 4096, event: 'stream.pkt_invalid_ack' } });
    }
    out += `${line}\n`;
    if (out.length > 1 << 20) {
      size += writeSync(fd, out);
      out = '';
    }
  }
  size += writeSync(fd, out);
  closeSync(fd);
  return size;
}
