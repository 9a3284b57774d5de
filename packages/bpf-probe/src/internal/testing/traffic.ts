/** Traffic generators run inside a test namespace with python3 (present on the CI image). */
import type { TestNet } from './netns.js';

/** Sends `count` UDP datagrams of `size` bytes from the namespace, `gapMs` apart. */
export function sendUdp(net: TestNet, dst: string, port: number, count: number, size: number, gapMs = 0, srcPort = 0): Promise<string> {
  const family = dst.includes(':') ? 'AF_INET6' : 'AF_INET';
  return net.exec('python3', ['-c', `
import socket, time
s = socket.socket(socket.${family}, socket.SOCK_DGRAM)
s.bind(('', ${srcPort}))
for i in range(${count}):
    s.sendto(b'x' * ${size}, ('${dst}', ${port}))
    time.sleep(${gapMs / 1000})
`]);
}

/**
 * Opens one TCP connection from the namespace and sends `requests` requests of `size` bytes,
 * `gapMs` apart, reading each reply; closes with FIN.
 */
export function tcpSession(net: TestNet, dst: string, port: number, requests: number, size: number, gapMs: number): Promise<string> {
  const family = dst.includes(':') ? 'AF_INET6' : 'AF_INET';
  return net.exec('python3', ['-c', `
import socket, time
s = socket.socket(socket.${family}, socket.SOCK_STREAM)
s.connect(('${dst}', ${port}))
for i in range(${requests}):
    time.sleep(${gapMs / 1000})
    s.sendall(b'q' * ${size})
    s.recv(65536)
s.shutdown(socket.SHUT_WR)
s.recv(1)
s.close()
`]);
}

/** Sends raw Ethernet frames (hex strings) out of the namespace's veth end. */
export function sendRawFrames(net: TestNet, frames: string[]): Promise<string> {
  return net.exec('python3', ['-c', `
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('${net.peer}', 0))
for f in ${JSON.stringify(frames)}:
    s.send(bytes.fromhex(f))
`]);
}
