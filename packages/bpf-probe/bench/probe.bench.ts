/**
 * Probe benchmarks (root + native build needed):
 *  1. kernel cost per packet with BPF_PROG_TEST_RUN (existing flow, with server names on and
 *     off; a record per packet; a DNS response copied into the payload ring per packet);
 *  2. records per second produced by the kernel and delivered into JS (decoded
 *     ConnectionEvents) in the same run, with the drops;
 *  3. veth TCP throughput without and with the probe, interleaved rounds, medians.
 *
 * Usage: pnpm --filter @beacon/bpf-probe bench [-- [cost] [events] [veth] [--rounds N]]
 * (all sections and 5 rounds by default). The machine may be shared: every section prints the
 * load average, and figures are compared within one run only.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProbe, probeSupport } from '../src/index.js';
import type { AttachModeOption } from '../src/options.js';
import { buildFrame } from '../src/internal/testing/frames.js';
import { createTestNet } from '../src/internal/testing/netns.js';

const support = probeSupport();
if (!support.ok) {
  console.log(`bpf-probe bench skipped: ${support.reasons.join('; ')}`);
  process.exit(0);
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 5;
const sections = new Set(args.length > 0 ? args : ['cost', 'events', 'veth']);

const load = (): string => `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const list = (xs: number[], digits = 0): string => xs.map((x) => x.toFixed(digits)).join(' ');

const net = createTestNet();
const log = (): void => {};
console.log(`bpf-probe bench: ${ROUNDS} rounds, ${load()}`);
try {
  // 1. Per-packet cost, median of ROUNDS runs of 1M packets each.
  if (sections.has('cost')) {
    const probe = await openProbe({ interface: net.host, log });
    const plain = await openProbe({ interface: net.host, log, serverNames: false });
    const udp = buildFrame({ src: '10.9.0.2', dst: '10.9.0.1', sport: 1234, dport: 53, payload: 100 });
    const tcp = buildFrame({ src: 'fd00::2', dst: 'fd00::1', sport: 1234, dport: 443, proto: 6, tcpFlags: 0x10, payload: 100 });
    for (const [name, frame] of [['udp4', udp], ['tcp6', tcp]] as const) {
      await probe.testRun('xdp', frame, 1);
      await plain.testRun('xdp', frame, 1);
      const xdp: number[] = [];
      const tc: number[] = [];
      const xdpOff: number[] = [];
      const tcOff: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        xdp.push((await probe.testRun('xdp', frame, 1_000_000)).durationNs);
        xdpOff.push((await plain.testRun('xdp', frame, 1_000_000)).durationNs);
        tc.push((await probe.testRun('tc_egress', frame, 1_000_000)).durationNs);
        tcOff.push((await plain.testRun('tc_egress', frame, 1_000_000)).durationNs);
      }
      console.log(`per-packet cost ${name} existing flow: xdp median ${median(xdp)} ns [${list(xdp)}], ` +
        `tc_egress median ${median(tc)} ns [${list(tc)}]; serverNames off: xdp ${median(xdpOff)} ns [${list(xdpOff)}], ` +
        `tc_egress ${median(tcOff)} ns [${list(tcOff)}]`);
    }
    await probe.close();
    await plain.close();
    // A DNS response (UDP from port 53) is copied into the payload ring on every packet; JS
    // drains and parses the ring meanwhile. 1024 bytes is the capture length. The first pass
    // over a fresh ring costs several times more per record (first touch of its pages): the
    // warm-up writes the whole ring once, the rounds show the steady state.
    const dnsProbe = await openProbe({ interface: net.host, log, payloadRingPages: 4096 });
    for (const size of [100, 1024]) {
      const dns = buildFrame({ src: '10.9.0.53', dst: '10.9.0.2', sport: 53, dport: 5353, payload: size });
      const per: number[] = [];
      // Each run fits in the ring (4096 pages: 15,420 records); JS drains it before the next.
      const drained = async (): Promise<void> => {
        for (let c = dnsProbe.counters().names; c.payloadsRead + c.payloadDrops < c.payloadRecords; c = dnsProbe.counters().names) {
          await new Promise((res) => setTimeout(res, 5));
        }
      };
      for (let i = 0; i < 2; i++) {
        await dnsProbe.testRun('tc_ingress', dns, 10_000); // the ring's first pass
        await drained();
      }
      for (let r = 0; r < ROUNDS; r++) {
        per.push((await dnsProbe.testRun('tc_ingress', dns, 10_000)).durationNs);
        await drained();
      }
      const c = dnsProbe.counters().names;
      console.log(`per-packet cost of a ${size}-byte DNS response copied to user space: tc_ingress median ${median(per)} ns ` +
        `[${list(per)}] (payload records ${c.payloadRecords}, drops ${c.payloadDrops})`);
    }
    await dnsProbe.close();
    const bursty = await openProbe({ interface: net.host, idleGap: 0, log, ringBufferPages: 4096 });
    bursty.on('batch', () => {});
    const rec: number[] = [];
    for (let r = 0; r < ROUNDS; r++) rec.push((await bursty.testRun('xdp', udp, 200_000)).durationNs);
    console.log(`per-packet cost udp4 with a ring-buffer record per packet: xdp median ${median(rec)} ns [${list(rec)}]`);
    await bursty.close();
    console.log(`  (${load()})`);
  }

  // 2. Records per second: idleGap 0 makes every test-run packet a burst record. The kernel
  //    rate is N over the BPF_PROG_TEST_RUN time; the delivered rate is the events decoded
  //    into JS over the time from the start of the run to the last event.
  if (sections.has('events')) {
    const N = 3_000_000;
    const kernel: number[] = [];
    const delivered: number[] = [];
    const consumer: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const probe = await openProbe({ interface: net.host, idleGap: 0, ringBufferPages: 8192, queueCapacity: 262_144, log });
      let got = 0;
      probe.on('batch', (events) => {
        got += events.length;
      });
      const frame = buildFrame({ src: '10.9.0.2', dst: '10.9.0.1', sport: 999, dport: 53, payload: 10 });
      await probe.testRun('xdp', frame, 1);
      while (got < 1) await new Promise((res) => setTimeout(res, 5));
      got = 0;
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const run = await probe.testRun('xdp', frame, N);
      for (;;) {
        const c = probe.counters();
        if (c.recordsRead + c.ringbufDrops >= c.recordsSent && c.queueDepth === 0 && got + c.ringbufDrops >= N) break;
        await new Promise((res) => setImmediate(res));
      }
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      // CPU the consumers used (reader thread + JS), per record: process CPU minus the
      // producer's BPF_PROG_TEST_RUN time. Less sensitive to other jobs than the rates.
      const consumerNs = ((cpu.user + cpu.system) * 1000 - run.durationNs * N) / N;
      consumer.push(consumerNs);
      const c = probe.counters();
      const k = 1e9 / run.durationNs / 1e6;
      const d = got / secs / 1e6;
      kernel.push(k);
      delivered.push(d);
      console.log(`events round ${r + 1}: kernel produced ${N} records at ${k.toFixed(2)} M/s; ` +
        `JS got ${got} events in ${secs.toFixed(3)} s = ${d.toFixed(2)} M/s; ringbufDrops ${c.ringbufDrops}, ` +
        `recordsSent ${c.recordsSent}, recordsRead ${c.recordsRead}, queueFullWaits ${c.queueFullWaits}; ` +
        `consumer CPU ${consumerNs.toFixed(0)} ns/record`);
      await probe.close();
    }
    console.log(`events into JS: kernel median ${median(kernel).toFixed(2)} M records/s, delivered median ` +
      `${median(delivered).toFixed(2)} M events/s [${list(delivered, 2)}], consumer CPU median ${median(consumer).toFixed(0)} ` +
      `ns/record (${load()})`);
  }

  // 3. veth throughput: python3 in the namespace streams TCP to a sink here for 2 s; rounds
  //    without and with the probe alternate, and the medians are compared.
  if (sections.has('veth')) {
    const server = createServer((s) => s.on('data', () => {}).on('error', () => {}));
    await new Promise<void>((r) => server.listen(5201, net.hostV4, r));
    const stream = async (): Promise<number> => {
      const out = await net.exec('python3', ['-c', `
import socket, time
s = socket.create_connection(('${net.hostV4}', 5201))
buf = b'x' * 262144
n = 0
t = time.time()
while time.time() - t < 2:
    s.sendall(buf); n += len(buf)
print(n / (time.time() - t))
`], 30_000);
      return (Number(out.trim()) * 8) / 1e9;
    };
    // Control: a program that only returns XDP_PASS, attached in native mode, shows what
    // native XDP on veth costs by itself (the peer loses TSO, segments go one by one).
    const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-'));
    const passObj = join(dir, 'pass.o');
    const passOnly = {
      attach: (): string => {
        execFileSync('ip', ['link', 'set', 'dev', net.host, 'xdpdrv', 'obj', passObj, 'sec', 'xdp']);
        return 'xdp, XDP_PASS only';
      },
      detach: (): void => {
        execFileSync('ip', ['link', 'set', 'dev', net.host, 'xdpdrv', 'off']);
      },
    };
    const modes: Array<AttachModeOption | 'control'> = ['auto', 'xdp-native', 'control', 'xdp-generic', 'tc'];
    try {
      writeFileSync(join(dir, 'pass.c'), '__attribute__((section("xdp"), used)) int pass(void *ctx) { return 2; /* XDP_PASS */ }\n' +
        'char LICENSE[] __attribute__((section("license"), used)) = "GPL";\n');
      execFileSync('clang', ['-O2', '-target', 'bpf', '-c', join(dir, 'pass.c'), '-o', passObj]);
      for (const attachMode of modes) {
        const base: number[] = [];
        const withProbe: number[] = [];
        let mode = '';
        for (let r = 0; r < ROUNDS; r++) {
          base.push(await stream());
          if (attachMode === 'control') {
            mode = passOnly.attach();
            withProbe.push(await stream());
            passOnly.detach();
          } else {
            const probe = await openProbe({ interface: net.host, attachMode, log });
            mode = probe.attachMode;
            withProbe.push(await stream());
            await probe.close();
          }
        }
        const b = median(base);
        const w = median(withProbe);
        console.log(`veth TCP throughput, ${attachMode === 'control' ? 'control' : `attachMode ${attachMode}`} (${mode}): median ` +
          `${b.toFixed(2)} Gbit/s without [${list(base, 2)}], ${w.toFixed(2)} Gbit/s with [${list(withProbe, 2)}]: ` +
          `${((1 - w / b) * 100).toFixed(1)} % loss (${load()})`);
      }
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  net.destroy();
}
