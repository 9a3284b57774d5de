import { connect } from 'node:net';
import { createDetector } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { createApp } from '../createApp.js';
import { listen } from '../listen.js';

// Defect 11 of issue 17: a client that writes the whole body before reading (Python requests,
// the original's data plane) got a connection reset instead of the 413, and retried forever.
/** Writes a whole request at once, then reads everything the server sends until it closes. */
function rawPost(port: number, bodyBytes: number, declare: boolean): Promise<{ response: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.on('data', (d) => (response += d.toString('latin1')));
    socket.on('error', (e) => resolve({ response, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    socket.on('close', () => resolve({ response }));
    const head = [
      'POST /api/v1/telemetry HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Content-Type: application/json',
      declare ? `Content-Length: ${bodyBytes}` : 'Transfer-Encoding: chunked',
      '',
      '',
    ].join('\r\n');
    socket.write(head);
    const body = Buffer.alloc(bodyBytes, 0x20);
    if (declare) socket.write(body);
    else socket.write(Buffer.concat([Buffer.from(`${bodyBytes.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]));
  });
}

describe('413 for a client that sends the whole body first', () => {
  it('is read by the client, with Connection: close, whether the size is declared or streamed', async () => {
    const server = await listen(createApp({ detector: createDetector(), maxBodyBytes: 1024 * 1024 }), { port: 0 });
    try {
      for (const declare of [true, false]) {
        const r = await rawPost(server.port, 6 * 1024 * 1024, declare);
        expect(r.error, `declared ${declare}`).toBeUndefined();
        expect(r.response).toMatch(/^HTTP\/1\.1 413/);
        expect(r.response.toLowerCase()).toContain('connection: close');
        expect(r.response).toMatch(/larger than 1048576 bytes/);
      }
    } finally {
      await server.close();
    }
  });
});
