import { writeFileSync } from 'node:fs';

/** Deterministic pseudo-random numbers (mulberry32), so every run writes the same log. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The C2 pair the log hides: an implant calling home every 60 s with up to 20 % jitter. */
export const PLANTED = { src: '10.1.7.23', dst: '185.220.101.47', port: 443 } as const;

/**
 * Writes six hours of a small office's conn.log, as Zeek would (TSV with its header): 40 hosts
 * browsing 300 servers at random, NTP every 1,024 s, and one implant beaconing to {@link PLANTED}.
 * Returns the number of rows.
 */
export function writeConnLog(path: string): number {
  const r = rng(42);
  const start = 1_717_000_000;
  const end = start + 6 * 3600;
  const rows: Array<[number, string, string, number, string, number]> = [];
  for (let t = start + 13; t < end; t += 60 * (1 - 0.2 * r())) rows.push([t, PLANTED.src, PLANTED.dst, 443, 'tcp', 180 + Math.floor(r() * 8)]);
  for (let t = start + 5; t < end; t += 1024) rows.push([t, '10.1.7.23', '10.1.0.1', 123, 'udp', 48]);
  for (let i = 0; i < 20_000; i++) {
    const host = `10.1.${Math.floor(r() * 2) + 7}.${Math.floor(r() * 20) + 10}`;
    const server = `93.184.${Math.floor(r() * 3)}.${Math.floor(r() * 100) + 1}`;
    rows.push([start + r() * (end - start), host, server, 443, 'tcp', Math.floor(r() * 5000)]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const fields = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'orig_pkts', 'resp_pkts'];
  const header = `#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#fields\t${fields.join('\t')}\n`;
  const body = rows.map(([t, src, dst, port, proto, bytes], i) =>
    [t.toFixed(6), `C${i.toString(36)}`, src, 40_000 + (i % 20_000), dst, port, proto, proto === 'udp' ? 'ntp' : 'ssl', '0.4', bytes, bytes * 4, 'SF', 4, 4].join('\t'),
  );
  writeFileSync(path, `${header}${body.join('\n')}\n`);
  return rows.length;
}
