/**
 * A custom agent: attach the probe, print each connection event, stop after a while.
 * Safe by default: it watches `lo` (generic XDP) for 2 seconds and sends itself a few UDP
 * datagrams on 127.0.0.1. Set AGENT_INTERFACE / AGENT_SECONDS to watch a real interface.
 */
import { createSocket } from 'node:dgram';
import { isProbeError, openProbe, probeSupport } from '@beacon/bpf-probe';

const iface = process.env.AGENT_INTERFACE ?? 'lo';
const seconds = Number(process.env.AGENT_SECONDS ?? 2);

const support = probeSupport();
if (!support.ok) {
  console.log(`custom-agent: cannot run the probe here: ${support.reasons.join('; ')}`);
  process.exit(0);
}

try {
  const probe = await openProbe({ interface: iface, egress: iface !== 'lo', idleGap: 0.2, log: console.log });
  probe.on('event', (e) => {
    const extra = e.kind === 'flow_end' ? ` total ${e.bytes} B in ${e.packets} pkts` : ` ${e.bytes} B`;
    console.log(`${e.kind.padEnd(10)} ${e.srcIp}:${e.srcPort} -> ${e.dstIp}:${e.dstPort} proto ${e.protocol} ${e.direction}${extra}`);
  });

  if (iface === 'lo') {
    const sink = createSocket('udp4').bind(0, '127.0.0.1');
    await new Promise((r) => sink.once('listening', r));
    const sender = createSocket('udp4');
    for (let i = 0; i < 4; i++) {
      sender.send(`ping ${i}`, sink.address().port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 300)); // longer than idleGap: one burst per ping
    }
    sender.close();
    sink.close();
  }
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const c = probe.counters();
  await probe.close();
  console.log(`packets seen ${c.packetsSeen}, records ${c.recordsSent}, drops ${c.ringbufDrops}, parse errors ${c.parseErrors}`);
} catch (err) {
  if (!isProbeError(err)) throw err;
  console.log(`custom-agent: ${err.code}: ${err.message}`);
}
