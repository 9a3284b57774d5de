/**
 * Probe benchmarks (root + native build needed):
 *  1. kernel cost per packet with BPF_PROG_TEST_RUN (existing flow; and a record per packet);
 *  2. events per second delivered into JS (decoded ConnectionEvents) and drops;
 *  3. veth TCP throughput without and with the probe attached.
 */

import { createServer } from 'node:net';
import { openProbe, probeSupport } from '../src/index.js';
import { buildFrame } from '../src/internal/testing/frames.js';
import { createTestNet } from '../src/internal/testing/netns.js';

const support = probeSupport();
if (!support.ok) {
  console.log(`bpf-probe bench skipped: ${support.reasons.join('; ')}`);
  process.exit(0);
}

const net = createTestNet();
const log = (): void => {};
try {
  // 1. Per-packet cost.
  {
    const probe = await openProbe({ interface: net.host, log });
    const udp = buildFrame({ src: '10.9.0.2', dst: '10.9.0.1', sport: 1234, dport: 53, payload: 100 });
    const tcp = buildFrame({ src: 'fd00::2', dst: 'fd00::1', sport: 1234, dport: 443, proto: 6, tcpFlags: 0x10, payload: 100 });
    for (const [name, frame] of [['udp4', udp], ['tcp6', tcp]] as const) {
      await probe.testRun('xdp', frame, 1);
      const xdp = await probe.testRun('xdp', frame, 2_000_000);
      const tc = await probe.testRun('tc_egress', frame, 1_000_000);
      console.log(`per-packet cost ${name} existing flow: xdp ${xdp.durationNs} ns, tc_egress ${tc.durationNs} ns`);
    }
    await probe.close();
    const bursty = await openProbe({ interface: net.host, idleGap: 0, log, ringBufferPages: 4096 });
    bursty.on('batch', () => {});
    const r = await bursty.testRun('xdp', udp, 1_000_000);
    console.log(`per-packet cost udp4 with a ring-buffer record per packet: xdp ${r.durationNs} ns`);
    await bursty.close();
  }

  // 2. Events per second into JS: idleGap 0 makes every test-run packet a burst record.
  {
    const N = 3_000_000;
    const probe = await openProbe({ interface: net.host, idleGap: 0, ringBufferPages: 8192, queueCapacity: 262_144, log });
    let got = 0;
    probe.on('batch', (events) => {
      got += events.length;
    });
    const frame = buildFrame({ src: '10.9.0.2', dst: '10.9.0.1', sport: 999, dport: 53, payload: 10 });
    await probe.testRun('xdp', frame, 1);
    const t0 = process.hrtime.bigint();
    await probe.testRun('xdp', frame, N);
    while (got < N + 1) {
      const c = probe.counters();
      if (c.recordsRead + c.ringbufDrops >= c.recordsSent && c.queueDepth === 0 && got >= c.recordsRead) break;
      await new Promise((r) => setImmediate(r));
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = probe.counters();
    console.log(`events into JS: ${got} events in ${secs.toFixed(3)} s = ${(got / secs / 1e6).toFixed(2)} M events/s, ringbufDrops ${c.ringbufDrops}, recordsSent ${c.recordsSent}`);
    await probe.close();
  }

  // 3. veth throughput: python3 in the namespace streams TCP to a sink here for 3 s.
  const server = createServer((s) => s.on('data', () => {}).on('error', () => {}));
  await new Promise<void>((r) => server.listen(5201, net.hostV4, r));
  const stream = async (): Promise<number> => {
    const out = await net.exec('python3', ['-c', `
import socket, time
s = socket.create_connection(('${net.hostV4}', 5201))
buf = b'x' * 262144
n = 0
t = time.time()
while time.time() - t < 3:
    s.sendall(buf); n += len(buf)
print(n / (time.time() - t))
`], 30_000);
    return Number(out.trim()) * 8 / 1e9;
  };
  for (const attachMode of ['auto', 'xdp-generic', 'tc'] as const) {
    const base = await stream();
    const probe = await openProbe({ interface: net.host, attachMode, log });
    const withProbe = await stream();
    console.log(`veth TCP throughput: ${base.toFixed(2)} Gbit/s without, ${withProbe.toFixed(2)} Gbit/s with ${probe.attachMode} (${((1 - withProbe / base) * 100).toFixed(1)} % loss)`);
    await probe.close();
  }
  server.close();
} finally {
  net.destroy();
}
