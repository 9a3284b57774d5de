/**
 * Synthetic inputs for the benchmark, written straight into large buffers: a Zeek conn.log
 * shaped like the Stratosphere logs, and an Ethernet pcap of many short TCP connections,
 * some long keep-alive flows and DNS over UDP.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mulberry32 } from '@beacon/synth';

const FIELDS =
  'ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tlabel\tdetailedlabel';

const rng = mulberry32;

/** Writes a conn.log of `rows` rows (TSV, or JSON lines with `json`); returns its size in bytes. */
export function writeConnLog(path: string, rows: number, json = false): number {
  const fd = openSync(path, 'w');
  const r = rng(1);
  let size = 0;
  const flush = (s: string): void => {
    size += writeSync(fd, s);
  };
  const names = FIELDS.split('\t');
  if (!json) flush(`#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#fields\t${FIELDS}\n`);
  let ts = 1_655_071_198;
  let out = '';
  // 4,096 internal hosts talking to 50,000 outside addresses.
  const clients = Array.from({ length: 4096 }, () => `10.${(r() * 4) | 0}.${(r() * 256) | 0}.${(r() * 256) | 0}`);
  const servers = Array.from({ length: 50_000 }, () => `${(r() * 223 + 1) | 0}.${(r() * 256) | 0}.${(r() * 256) | 0}.${(r() * 256) | 0}`);
  for (let i = 0; i < rows; i++) {
    ts += r() * 0.01;
    const tcp = r() < 0.8;
    const src = clients[(r() * clients.length) | 0] as string;
    const dst = servers[(r() * servers.length) | 0] as string;
    const ob = (r() * 5000) | 0;
    const line = `${ts.toFixed(6)}\tC${i.toString(36)}x\t${src}\t${(r() * 60000 + 1024) | 0}\t${dst}\t${tcp ? 443 : 53}\t${tcp ? 'tcp\tssl' : 'udp\tdns'}\t${(r() * 10).toFixed(6)}\t${ob}\t${(r() * 9000) | 0}\t${tcp ? 'SF' : 'S0'}\tT\tF\t0\t${tcp ? 'ShADadFf' : 'D'}\t${(r() * 20) | 0}\t${ob + 400}\t${(r() * 20) | 0}\t900\t(empty)\tBenign\t(empty)`;
    out += json ? `${toJson(names, line)}\n` : `${line}\n`;
    if (out.length > 1 << 20) {
      flush(out);
      out = '';
    }
  }
  flush(out);
  closeSync(fd);
  return size;
}

/** A TSV row as the JSON line Zeek would write for it (numbers as numbers, unset fields left out). */
function toJson(names: string[], line: string): string {
  const row: Record<string, string | number> = {};
  line.split('\t').forEach((v, i) => {
    const name = names[i] as string;
    if (v === '-' || v === '(empty)') return;
    row[name] = /^[0-9]+(\.[0-9]+)?$/.test(v) && name !== 'uid' ? Number(v) : v;
  });
  return JSON.stringify(row);
}

/** Writes a pcap of `packets` packets (snap length 128, so longer packets are cut as tcpdump -s 128 would). */
export function writePcap(path: string, packets: number): number {
  const fd = openSync(path, 'w');
  const r = rng(2);
  const buf = Buffer.alloc(4 << 20);
  let pos = 0;
  let size = 0;
  const flush = (): void => {
    size += writeSync(fd, buf, 0, pos);
    pos = 0;
  };
  buf.writeUInt32LE(0xa1b2c3d4, 0);
  buf.writeUInt16LE(2, 4);
  buf.writeUInt16LE(4, 6);
  buf.writeUInt32LE(128, 16);
  buf.writeUInt32LE(1, 20);
  pos = 24;
  // 2,000 concurrent connections; each lives 4-40 packets, then FIN, and is replaced.
  const slots = Array.from({ length: 2000 }, (_, i) => ({ client: 0x0a000000 + i * 7, server: 0x5db8d822 + (i % 300), port: 1024 + i, left: 0, n: 0 }));
  let usec = 0;
  let sec = 1_700_000_000;
  for (let i = 0; i < packets; i++) {
    usec += (r() * 100) | 0; // ~20,000 packets/s of capture time
    if (usec >= 1e6) {
      sec += 1;
      usec -= 1e6;
    }
    const dns = r() < 0.1;
    const s = slots[(r() * slots.length) | 0] as (typeof slots)[number];
    let src: number, dst: number, sp: number, dp: number, flags: number, payload: number;
    if (dns) {
      src = 0x0a000000 + ((r() * 5000) | 0);
      dst = 0x08080808;
      sp = 1024 + ((r() * 60000) | 0);
      dp = 53;
      flags = 0;
      payload = 40;
    } else {
      if (s.left === 0) {
        s.left = 4 + ((r() * 36) | 0);
        s.port = ((s.port - 1024 + 2000) % 64000) + 1024;
        s.n = 0;
      }
      const fromClient = s.n === 0 || r() < 0.5;
      src = fromClient ? s.client : s.server;
      dst = fromClient ? s.server : s.client;
      sp = fromClient ? s.port : 443;
      dp = fromClient ? 443 : s.port;
      flags = s.n === 0 ? 0x02 : s.left === 1 ? 0x11 : 0x18;
      payload = s.n === 0 || s.left === 1 ? 0 : (r() * 1400) | 0;
      s.n++;
      s.left--;
    }
    const l4 = dns ? 8 : 20;
    const orig = 14 + 20 + l4 + payload;
    const incl = Math.min(orig, 128);
    if (pos + 16 + incl > buf.length) flush();
    buf.writeUInt32LE(sec, pos);
    buf.writeUInt32LE(usec, pos + 4);
    buf.writeUInt32LE(incl, pos + 8);
    buf.writeUInt32LE(orig, pos + 12);
    const f = pos + 16;
    buf.fill(0, f, f + incl);
    buf.writeUInt16BE(0x0800, f + 12);
    const ip = f + 14;
    buf[ip] = 0x45;
    buf.writeUInt16BE(20 + l4 + payload, ip + 2);
    buf[ip + 8] = 64;
    buf[ip + 9] = dns ? 17 : 6;
    buf.writeUInt32BE(src >>> 0, ip + 12);
    buf.writeUInt32BE(dst >>> 0, ip + 16);
    const t = ip + 20;
    buf.writeUInt16BE(sp, t);
    buf.writeUInt16BE(dp, t + 2);
    if (dns) buf.writeUInt16BE(8 + payload, t + 4);
    else {
      buf[t + 12] = 0x50;
      buf[t + 13] = flags;
    }
    pos = f + incl;
  }
  flush();
  closeSync(fd);
  return size;
}
