import { gzipSync } from 'node:zlib';

/** Valid inputs each fuzz target starts its mutations from. */

const T0 = 1_700_000_000;

/** A telemetry batch of `n` events as the original's data plane sends it. */
export function telemetryBody(n: number, variant = 0): Buffer {
  const events = Array.from({ length: n }, (_, i) => ({
    timestamp_ns: variant % 2 === 0 ? String(BigInt(T0 + i * 60) * 1_000_000_000n) : (T0 + i * 60) * 1e9,
    src_ip: i % 3 === 2 ? '2001:db8::5' : '10.0.0.5',
    dst_ip: i % 3 === 2 ? '2001:db8::9' : '203.0.113.9',
    src_port: 40000 + i,
    dst_port: 443,
    packet_size: 310,
    protocol: i % 4 === 3 ? 17 : 6,
    tcp_flags: 2,
    direction: 1,
    ...(i % 5 === 4 ? { kind: 'flow_end', duration_seconds: 12.5, packets: 4 } : {}),
    ...(i % 7 === 6 ? { node_id: 'dp-other', timestamp_utc: '2023-11-14T22:13:20Z', tcp_flags_list: ['SYN'] } : {}),
  }));
  return Buffer.from(
    JSON.stringify({ batch_id: `b-${variant}`, node_id: 'dp-fuzz', created_at: '2023-11-14T22:13:20Z', event_count: n, data_plane_stats: { events_dropped_ebpf: 1, events_dropped_overflow: 2 }, events }),
  );
}

export const TELEMETRY_SEEDS: Buffer[] = [telemetryBody(1), telemetryBody(4, 1), telemetryBody(12), Buffer.from('{"events":[]}'), Buffer.from('{"node_id":"n","events":[{}]}')];
export const GZIP_SEEDS: Buffer[] = TELEMETRY_SEEDS.map((b) => gzipSync(b));

const TAB = '\t';
const ZEEK_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'history', 'orig_pkts'];
const zeekRow = (i: number): string[] => [
  `${T0 + i * 60}.${String(i * 1234 % 1_000_000).padStart(6, '0')}`,
  `C${i}`,
  i % 3 === 2 ? 'fe80::1' : '192.168.1.5',
  String(49152 + i),
  i % 3 === 2 ? 'fe80::2' : '203.0.113.9',
  '443',
  i % 4 === 3 ? 'udp' : 'tcp',
  '-',
  i % 2 ? '2.500000' : '-',
  String(300 + i),
  '120',
  'SF',
  'T',
  'F',
  'ShADadFf',
  '4',
];
export const ZEEK_TSV_SEEDS: Buffer[] = [
  Buffer.from(
    [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      '#path\tconn',
      `#fields${TAB}${ZEEK_FIELDS.join(TAB)}`,
      `#types${TAB}${ZEEK_FIELDS.map(() => 'string').join(TAB)}`,
      ...Array.from({ length: 8 }, (_, i) => zeekRow(i).join(TAB)),
      '#close\t2023-11-14-22-13-20',
      '',
    ].join('\n'),
  ),
];
export const ZEEK_JSON_SEEDS: Buffer[] = [
  Buffer.from(
    `${Array.from({ length: 8 }, (_, i) => JSON.stringify(Object.fromEntries(ZEEK_FIELDS.filter((f) => f !== 'duration' || i % 2 === 1).map((f) => [f, f === 'ts' ? T0 + i * 60.5 : f === 'duration' ? 2.5 : /_p$|bytes|pkts/.test(f) ? Number(zeekRow(i)[ZEEK_FIELDS.indexOf(f)]) : f.startsWith('local') ? i % 2 === 0 : zeekRow(i)[ZEEK_FIELDS.indexOf(f)]])))).join('\n')}\n`,
  ),
];

/** An IPv4/TCP packet (no payload) in an Ethernet frame. */
function frame(i: number): Buffer {
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x0800, 12);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(40 + (i % 3) * 10, 2);
  ip[8] = 64;
  ip[9] = i % 4 === 3 ? 17 : 6;
  Buffer.from([10, 0, 0, 5]).copy(ip, 12);
  Buffer.from([203, 0, 113, 9]).copy(ip, 16);
  const l4 = Buffer.alloc(20 + (i % 3) * 10);
  l4.writeUInt16BE(40000 + i, 0);
  l4.writeUInt16BE(443, 2);
  l4[12] = 0x50;
  l4[13] = i % 5 === 4 ? 0x11 : 0x02;
  return Buffer.concat([eth, ip, l4]);
}

export const PCAP_SEEDS: Buffer[] = [
  (() => {
    const g = Buffer.alloc(24);
    g.writeUInt32LE(0xa1b2c3d4, 0);
    g.writeUInt16LE(2, 4);
    g.writeUInt16LE(4, 6);
    g.writeUInt32LE(65535, 16);
    g.writeUInt32LE(1, 20);
    const recs = Array.from({ length: 8 }, (_, i) => {
      const f = frame(i);
      const h = Buffer.alloc(16);
      h.writeUInt32LE(T0 + i * 60, 0);
      h.writeUInt32LE(i * 1000, 4);
      h.writeUInt32LE(f.length, 8);
      h.writeUInt32LE(f.length, 12);
      return Buffer.concat([h, f]);
    });
    return Buffer.concat([g, ...recs]);
  })(),
];

function block(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

export const PCAPNG_SEEDS: Buffer[] = [
  (() => {
    const shb = Buffer.alloc(16);
    shb.writeUInt32LE(0x1a2b3c4d, 0);
    shb.writeUInt16LE(1, 4);
    shb.writeBigInt64LE(-1n, 8);
    const idb = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([9, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0])]);
    const epbs = Array.from({ length: 8 }, (_, i) => {
      const f = frame(i);
      const units = BigInt(T0 + i * 60) * 1_000_000n + BigInt(i * 1000);
      const h = Buffer.alloc(20);
      h.writeUInt32LE(Number(units >> 32n), 4);
      h.writeUInt32LE(Number(units & 0xffffffffn), 8);
      h.writeUInt32LE(f.length, 12);
      h.writeUInt32LE(f.length, 16);
      return block(6, Buffer.concat([h, f]));
    });
    return Buffer.concat([block(0x0a0d0d0a, shb), block(1, idb), ...epbs]);
  })(),
];

export const YAML_SEEDS: Buffer[] = [
  Buffer.from(
    [
      'control_plane: { listen_address: 127.0.0.1, listen_port: 9090, max_body_bytes: 8388608, cors_origins: [] }',
      'detection:',
      '  min_connections: 10',
      '  analysis_interval: 60',
      '  cv_weight: 0.35',
      '  alert_threshold: 0.7',
      'persistence: { db_path: ./beacon.db, flush_interval: 5 }',
      'whitelist:',
      '  destination_ips: [10.0.0.0/8, "2001:db8::/32"]',
      '  ports: [53, 123]',
      'benign_baseline: { patterns: [ { dst_port: 443, label: web } ] }',
      'logging: { level: info, format: json }',
      '',
    ].join('\n'),
  ),
];

export const CONFIG_API_SEEDS: Buffer[] = [
  Buffer.from(JSON.stringify({ detection: { min_connections: 12, analysis_interval: 30 }, weights: { cv: 0.4, periodicity: 0.3, jitter: 0.15, size: 0.15 } })),
  Buffer.from(JSON.stringify({ whitelist: { destination_ips: ['10.0.0.0/8'], ports: [53], pairs: ['10.0.0.1:10.0.0.2:53'] }, alerting: { enabled: false } })),
  Buffer.from(JSON.stringify({ benign_baseline: { enabled: true, multicast: false, patterns: [{ dst_port: 123, protocol: 'udp', label: 'NTP' }] } })),
];
