/**
 * A hand-written Suricata EVE sample following the schema Suricata 7 writes (eve-log with
 * flow, tls, http, dns, alert, fileinfo, anomaly and stats records; DNS in the v2 format and
 * one record in Suricata 8's v3 format), and a generator that expands it into a whole file.
 * Field names, nesting and value formats follow Suricata's documentation of the EVE format
 * (`timestamp` with a `+0000` offset, 64-bit `flow_id`, `tcp_flags` as hex bytes).
 */

/** One EVE record as a plain object. */
export type EveRecord = Record<string, unknown>;

const T0 = Date.UTC(2024, 2, 1, 12, 0, 0) / 1000;

/** Suricata's time text for epoch seconds with microseconds: `2024-03-01T12:00:05.123456+0000`. */
export function eveTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const micros = Math.round((seconds - whole) * 1e6);
  return `${new Date(whole * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}+0000`;
}

interface FlowSpec {
  flowId: string;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  proto: 'TCP' | 'UDP' | 'ICMP' | 'IPv6-ICMP' | 'SCTP';
  start: number;
  end: number;
  pktsTs: number;
  pktsTc: number;
  bytesTs: number;
  bytesTc: number;
  /** tcp_flags_ts / tcp_flags_tc as hex text. */
  flagsTs?: string;
  flagsTc?: string;
  appProto?: string;
  state?: string;
  reason?: string;
}

/** A `flow` record as Suricata logs it when the flow ends. `flow_id` is raw JSON text (64-bit). */
export function flowRecord(f: FlowSpec): string {
  const rec: EveRecord = {
    timestamp: eveTime(f.end + 0.2),
    flow_id: 0,
    in_iface: 'eth0',
    event_type: 'flow',
    src_ip: f.src,
    ...(f.proto === 'TCP' || f.proto === 'UDP' ? { src_port: f.sport } : {}),
    dest_ip: f.dst,
    ...(f.proto === 'TCP' || f.proto === 'UDP' ? { dest_port: f.dport } : { icmp_type: 8, icmp_code: 0, response_icmp_type: 0, response_icmp_code: 0 }),
    proto: f.proto,
    ...(f.appProto ? { app_proto: f.appProto } : {}),
    flow: {
      pkts_toserver: f.pktsTs,
      pkts_toclient: f.pktsTc,
      bytes_toserver: f.bytesTs,
      bytes_toclient: f.bytesTc,
      start: eveTime(f.start),
      end: eveTime(f.end),
      age: Math.round(f.end - f.start),
      state: f.state ?? 'closed',
      reason: f.reason ?? 'timeout',
      alerted: false,
    },
  };
  if (f.proto === 'TCP') {
    const ts = Number.parseInt(f.flagsTs ?? '1b', 16);
    const tc = Number.parseInt(f.flagsTc ?? '1b', 16);
    const hex = (n: number): string => n.toString(16).padStart(2, '0');
    const tcp: EveRecord = { tcp_flags: hex(ts | tc), tcp_flags_ts: hex(ts), tcp_flags_tc: hex(tc) };
    for (const [bit, name] of [[1, 'fin'], [2, 'syn'], [4, 'rst'], [8, 'psh'], [16, 'ack']] as const) if (((ts | tc) & bit) !== 0) tcp[name] = true;
    tcp.state = f.state === 'new' ? 'syn_sent' : 'closed';
    rec.tcp = tcp;
  }
  return JSON.stringify(rec).replace('"flow_id":0', `"flow_id":${f.flowId}`);
}

function withFlowId(rec: EveRecord, flowId: string): string {
  return JSON.stringify({ flow_id: 0, ...rec }).replace('"flow_id":0', `"flow_id":${flowId}`);
}

/** A `tls` record (logged at the handshake, before the flow record). */
export function tlsRecord(flowId: string, t: number, src: string, sport: number, dst: string, dport: number, sni: string): string {
  return withFlowId({
    timestamp: eveTime(t),
    in_iface: 'eth0',
    event_type: 'tls',
    src_ip: src,
    src_port: sport,
    dest_ip: dst,
    dest_port: dport,
    proto: 'TCP',
    tls: { subject: `CN=${sni}`, issuerdn: 'C=US, O=Example CA, CN=Example CA R3', serial: '04:D2:8F:19', fingerprint: '3b:8c:2c:1f:5e:21:a7:0f:44:9e:60:e4:7b:22:42:d7:b0:61:3a:90', sni, version: 'TLS 1.2', notbefore: '2024-01-01T00:00:00', notafter: '2024-12-31T23:59:59', ja3: { hash: 'e7d705a3286e19ea42f587b344ee6865', string: '771,49195-49199,0-11-10,29-23,0' } },
  }, flowId);
}

/** An `http` record. */
export function httpRecord(flowId: string, t: number, src: string, sport: number, dst: string, hostname: string): string {
  return withFlowId({
    timestamp: eveTime(t),
    in_iface: 'eth0',
    event_type: 'http',
    src_ip: src,
    src_port: sport,
    dest_ip: dst,
    dest_port: 80,
    proto: 'TCP',
    tx_id: 0,
    http: { hostname, url: '/updates/check', http_user_agent: 'Mozilla/5.0', http_content_type: 'application/json', http_method: 'GET', protocol: 'HTTP/1.1', status: 200, length: 312 },
  }, flowId);
}

/** A `dns` answer record in the v2 format (Suricata 6 and 7). */
export function dnsAnswerRecord(flowId: string, t: number, src: string, sport: number, dst: string, rrname: string, address: string): string {
  return withFlowId({
    timestamp: eveTime(t),
    in_iface: 'eth0',
    event_type: 'dns',
    src_ip: dst,
    src_port: 53,
    dest_ip: src,
    dest_port: sport,
    proto: 'UDP',
    dns: { version: 2, type: 'answer', id: 16000, flags: '8180', qr: true, rd: true, ra: true, rrname, rrtype: 'A', rcode: 'NOERROR', answers: [{ rrname, rrtype: 'A', ttl: 300, rdata: address }], grouped: { A: [address] } },
  }, flowId);
}

/** The hand-written sample: one record of each kind a Suricata sensor writes, in log order. */
export function sampleLines(): string[] {
  const c = '10.1.2.3';
  const s = '203.0.113.50';
  return [
    dnsAnswerRecord('1055384810839744', T0, c, 53001, '10.1.0.53', 'updates.example.net.', s),
    flowRecord({ flowId: '1055384810839744', src: c, sport: 53001, dst: '10.1.0.53', dport: 53, proto: 'UDP', start: T0 - 0.01, end: T0, pktsTs: 1, pktsTc: 1, bytesTs: 86, bytesTc: 102, appProto: 'dns', state: 'established' }),
    tlsRecord('2133214386471296', T0 + 0.05, c, 49822, s, 443, 'updates.example.net'),
    JSON.stringify({ timestamp: eveTime(T0 + 0.06), flow_id: 2133214386471296, in_iface: 'eth0', event_type: 'alert', src_ip: c, src_port: 49822, dest_ip: s, dest_port: 443, proto: 'TCP', alert: { action: 'allowed', gid: 1, signature_id: 2027695, rev: 3, signature: 'ET POLICY Observed suspicious TLS SNI', category: 'Potential Corporate Privacy Violation', severity: 2 }, app_proto: 'tls' }),
    flowRecord({ flowId: '2133214386471296', src: c, sport: 49822, dst: s, dport: 443, proto: 'TCP', start: T0 + 0.01, end: T0 + 1.51, pktsTs: 9, pktsTc: 8, bytesTs: 1342, bytesTc: 5210, appProto: 'tls', flagsTs: '1b', flagsTc: '1b' }),
    httpRecord('1688849860263936', T0 + 2, c, 50110, '198.51.100.7', 'cdn.example.org'),
    JSON.stringify({ timestamp: eveTime(T0 + 2.1), flow_id: 1688849860263936, in_iface: 'eth0', event_type: 'fileinfo', src_ip: '198.51.100.7', src_port: 80, dest_ip: c, dest_port: 50110, proto: 'TCP', http: { hostname: 'cdn.example.org', url: '/updates/check' }, app_proto: 'http', fileinfo: { filename: '/updates/check', gaps: false, state: 'CLOSED', stored: false, size: 312, tx_id: 0 } }),
    flowRecord({ flowId: '1688849860263936', src: c, sport: 50110, dst: '198.51.100.7', dport: 80, proto: 'TCP', start: T0 + 1.98, end: T0 + 2.3, pktsTs: 5, pktsTc: 5, bytesTs: 480, bytesTc: 900, appProto: 'http', flagsTs: '1b', flagsTc: '1b' }),
    // A SYN never answered (S0), then one answered with a reset (REJ): a reconnect loop's traces.
    flowRecord({ flowId: '1969862545723392', src: c, sport: 50200, dst: '192.0.2.66', dport: 4444, proto: 'TCP', start: T0 + 3, end: T0 + 3, pktsTs: 1, pktsTc: 0, bytesTs: 74, bytesTc: 0, flagsTs: '02', flagsTc: '00', state: 'new' }),
    flowRecord({ flowId: '1125899906842624', src: c, sport: 50201, dst: '192.0.2.66', dport: 4444, proto: 'TCP', start: T0 + 8, end: T0 + 8.0003, pktsTs: 1, pktsTc: 1, bytesTs: 74, bytesTc: 54, flagsTs: '02', flagsTc: '14' }),
    JSON.stringify({ timestamp: eveTime(T0 + 9), in_iface: 'eth0', event_type: 'anomaly', src_ip: c, src_port: 50300, dest_ip: s, dest_port: 443, proto: 'TCP', anomaly: { type: 'stream', event: 'stream.pkt_invalid_ack' } }),
    flowRecord({ flowId: '844424930131968', src: c, sport: 0, dst: '192.0.2.1', dport: 0, proto: 'ICMP', start: T0 + 10, end: T0 + 10.001, pktsTs: 1, pktsTc: 1, bytesTs: 98, bytesTc: 98 }),
    flowRecord({ flowId: '562949953421312', src: '2001:DB8:0:0:0:0:0:5', sport: 40000, dst: '2001:db8::1:0:0:80', dport: 443, proto: 'TCP', start: T0 + 11, end: T0 + 71, pktsTs: 20, pktsTc: 18, bytesTs: 3000, bytesTc: 9000, flagsTs: '1f', flagsTc: '1b' }),
    flowRecord({ flowId: '281474976710656', src: c, sport: 1, dst: '192.0.2.9', dport: 2, proto: 'SCTP', start: T0 + 12, end: T0 + 13, pktsTs: 2, pktsTc: 2, bytesTs: 200, bytesTc: 200 }),
    // DNS in Suricata 8's v3 format (queries and answers as arrays), on its own flow.
    withFlowId({ timestamp: eveTime(T0 + 13), in_iface: 'eth0', event_type: 'dns', src_ip: c, src_port: 53002, dest_ip: '10.1.0.53', dest_port: 53, proto: 'UDP', dns: { version: 3, type: 'request', tx_id: 0, id: 1, flags: '0100', rd: true, opcode: 0, queries: [{ rrname: 'Telemetry.Example.com', rrtype: 'A' }] } }, '1407374883553280'),
    flowRecord({ flowId: '1407374883553280', src: c, sport: 53002, dst: '10.1.0.53', dport: 53, proto: 'UDP', start: T0 + 13, end: T0 + 13, pktsTs: 1, pktsTc: 0, bytesTs: 80, bytesTc: 0, appProto: 'dns', state: 'new' }),
    JSON.stringify({ timestamp: eveTime(T0 + 14), event_type: 'stats', stats: { uptime: 60, capture: { kernel_packets: 1200, kernel_drops: 0 }, decoder: { pkts: 1200, bytes: 900000 }, flow: { tcp: 8, udp: 3 } } }),
  ];
}

export interface GeneratedEve {
  text: string;
  lines: number;
  /** Beacon flows written (one every `period` seconds). */
  beacons: number;
  /** Failed connection attempts written (a reconnect loop, every 5 s). */
  rejected: number;
}

/**
 * Expands the sample into a whole log: the sample first, then a TLS beacon from 10.1.2.3 to
 * 203.0.113.50:443 every `period` s (+-2 s, each a `tls` record then its `flow` record), a
 * reconnect loop to 192.0.2.66:4444 every 5 s answered by RST, DNS lookups and `stats` records
 * in between, in time order as a sensor would write them.
 */
export function generateEve(count: number, period = 60): GeneratedEve {
  const out = sampleLines();
  const c = '10.1.2.3';
  const s = '203.0.113.50';
  let id = 3_000_000_000_000_000n;
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const t = T0 + 100 + i * period + ((i * 7919) % 5) - 2;
    const sport = 51000 + (i % 10000);
    const fid = String((id += 7n));
    out.push(tlsRecord(fid, t + 0.04, c, sport, s, 443, 'updates.example.net'));
    out.push(flowRecord({ flowId: fid, src: c, sport, dst: s, dport: 443, proto: 'TCP', start: t, end: t + 0.6, pktsTs: 8, pktsTc: 7, bytesTs: 1290 + (i % 3), bytesTc: 4800, appProto: 'tls' }));
    for (let k = 0; k < period / 5; k++) {
      const tr = t + k * 5 + 1;
      out.push(flowRecord({ flowId: String((id += 7n)), src: c, sport: 40000 + ((i * 13 + k) % 20000), dst: '192.0.2.66', dport: 4444, proto: 'TCP', start: tr, end: tr + 0.0004, pktsTs: 1, pktsTc: 1, bytesTs: 74, bytesTc: 54, flagsTs: '02', flagsTc: '14' }));
      rejected++;
    }
    const dfid = String((id += 7n));
    out.push(dnsAnswerRecord(dfid, t + 30, c, 52000 + (i % 1000), '10.1.0.53', 'www.example.com', '93.184.216.34'));
    out.push(flowRecord({ flowId: dfid, src: c, sport: 52000 + (i % 1000), dst: '10.1.0.53', dport: 53, proto: 'UDP', start: t + 29.99, end: t + 30, pktsTs: 1, pktsTc: 1, bytesTs: 70, bytesTc: 86, appProto: 'dns' }));
    if (i % 10 === 0) out.push(JSON.stringify({ timestamp: eveTime(t + 31), event_type: 'stats', stats: { uptime: i * period } }));
  }
  return { text: `${out.join('\n')}\n`, lines: out.length, beacons: count, rejected };
}
