import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { startServer, type ServerProcess, postBeaconTelemetry } from '../helpers/cli.js';

// The dashboard's live stream when the control plane goes away and comes back on the same port.
const skip = browserSkipReason();
if (skip) console.warn(`dashboard stream reconnect test skipped: ${skip}`);

const KEY = 'dash-reconnect-key';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

describe.skipIf(skip !== null)('dashboard live stream across a server restart', { timeout: 180_000 }, () => {
  let dir: string | undefined;
  let server: ServerProcess | undefined;
  let browser: TestBrowser | undefined;
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the stream as reconnecting while the server is down, reconnects, and alerts raised after the restart arrive', async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-dash-reconnect-'));
    const port = await freePort();
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      [
        `control_plane: { listen_address: 127.0.0.1, listen_port: ${port}, api_key: ${KEY} }`,
        'detection: { analysis_interval: 1 }',
        'persistence: { enabled: false }',
        'logging: { level: warning }',
      ].join('\n'),
    );
    server = await startServer(['-c', config]);
    browser = await launchBrowser();
    const page = browser.page;
    await page.goto(`${server.url}/`);
    const state = (): Promise<string | null> => page.evaluate(() => document.querySelector('.conn')?.getAttribute('data-state') ?? null);
    await page.waitForFunction(() => document.querySelector('.conn')?.getAttribute('data-state') === 'open', undefined, { timeout: 20_000 });

    // The server goes away: the badge says so (and when it will try again).
    expect(await server.stop()).toBe(0);
    server = undefined;
    await page.waitForFunction(() => document.querySelector('.conn')?.getAttribute('data-state') === 'retrying', undefined, { timeout: 20_000 });
    expect(await page.textContent('.conn')).toMatch(/reconnecting in \d+ s/);

    // It comes back on the same port: the page reconnects by itself, no reload.
    server = await startServer(['-c', config]);
    expect(server.port).toBe(port);
    await page.waitForFunction(() => document.querySelector('.conn')?.getAttribute('data-state') === 'open', undefined, { timeout: 60_000 });
    expect(await state()).toBe('open');

    // An alert raised by the restarted server arrives over the new stream.
    expect(await postBeaconTelemetry(server.url, KEY, '10.9.9.8', '198.18.0.78', 'dash-reconnect')).toBe(200);
    await page.waitForFunction(() => (document.querySelector('.alerts')?.textContent ?? '').includes('198.18.0.78'), undefined, { timeout: 30_000 });
  });
});
