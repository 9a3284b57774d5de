/**
 * Test helper: a network namespace with a veth pair (one end inside), IPv4/IPv6 addresses and
 * an optional 802.1Q subinterface on both ends. Everything is removed by destroy(), and on
 * process exit as a last resort. Test traffic stays between the two ends.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes, randomInt } from 'node:crypto';

export interface TestNet {
  ns: string;
  /** veth end in the test's own namespace (where the probe attaches). */
  host: string;
  /** veth end inside `ns`. */
  peer: string;
  hostV4: string;
  peerV4: string;
  hostV6: string;
  peerV6: string;
  /** VLAN 100 subinterfaces, when requested. */
  vlan?: { host: string; peer: string; hostV4: string; peerV4: string };
  /** Runs a command inside the namespace (without blocking the event loop); resolves to stdout. */
  exec(cmd: string, args: string[], timeoutMs?: number): Promise<string>;
  destroy(): void;
}

const execFileAsync = promisify(execFile);
const live = new Set<TestNet>();
process.on('exit', () => {
  for (const net of live) net.destroy();
});

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** True when this process can create namespaces and load BPF (root with `ip` available). */
export function canUseNetns(): boolean {
  if (process.platform !== 'linux' || process.geteuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function createTestNet(options: { vlan?: boolean } = {}): TestNet {
  const id = randomBytes(3).toString('hex');
  const n = randomInt(1, 250);
  const ns = `beacon-t-${id}`;
  const host = `bt${id}h`;
  const peer = `bt${id}p`;
  const net: TestNet = {
    ns,
    host,
    peer,
    hostV4: `10.200.${n}.1`,
    peerV4: `10.200.${n}.2`,
    hostV6: `fd00:beef:0:${n.toString(16)}::1`,
    peerV6: `fd00:beef:0:${n.toString(16)}::2`,
    exec: async (cmd, args, timeoutMs = 20_000) =>
      (await execFileAsync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', timeout: timeoutMs })).stdout,
    destroy: () => {
      if (!live.delete(net)) return;
      try {
        ip('link', 'del', host);
      } catch {
        // already gone with the namespace
      }
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    },
  };
  live.add(net);
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
    ip('link', 'set', peer, 'netns', ns);
    ip('addr', 'add', `${net.hostV4}/24`, 'dev', host);
    ip('-6', 'addr', 'add', `${net.hostV6}/64`, 'dev', host, 'nodad');
    ip('link', 'set', host, 'up');
    ip('-n', ns, 'addr', 'add', `${net.peerV4}/24`, 'dev', peer);
    ip('-n', ns, '-6', 'addr', 'add', `${net.peerV6}/64`, 'dev', peer, 'nodad');
    ip('-n', ns, 'link', 'set', peer, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    if (options.vlan) {
      const v = { host: `${host}.100`, peer: `${peer}.100`, hostV4: `10.201.${n}.1`, peerV4: `10.201.${n}.2` };
      ip('link', 'add', 'link', host, 'name', v.host, 'type', 'vlan', 'id', '100');
      ip('addr', 'add', `${v.hostV4}/24`, 'dev', v.host);
      ip('link', 'set', v.host, 'up');
      ip('-n', ns, 'link', 'add', 'link', peer, 'name', v.peer, 'type', 'vlan', 'id', '100');
      ip('-n', ns, 'addr', 'add', `${v.peerV4}/24`, 'dev', v.peer);
      ip('-n', ns, 'link', 'set', v.peer, 'up');
      net.vlan = v;
    }
  } catch (err) {
    net.destroy();
    throw err;
  }
  return net;
}
