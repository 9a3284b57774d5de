import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser, seriousViolations, type TestBrowser } from '../helpers/browser.js';
import { repoRoot, runCli, startServer, type ServerProcess, postBeaconTelemetry } from '../helpers/cli.js';

// The live dashboard in Debian's Chromium: `beacon server` fed by `beacon simulate`.
const skip = browserSkipReason();
if (skip) console.warn(`dashboard browser tests skipped: ${skip}`);

/** Screenshots: test artifacts, gitignored. */
export const ARTIFACTS = join(repoRoot, 'tests', 'artifacts', 'dashboard');
const KEY = 'dash-test-key';
const PLANTED = ['203.0.113.50', '198.51.100.25', '192.0.2.100'];
const PERIOD = 45;

async function rowKeys(page: Page): Promise<string[]> {
  return page.$$eval('.rows [role=row]', (rows) => rows.map((r) => r.getAttribute('data-key') ?? ''));
}

describe.skipIf(skip !== null)('live dashboard in Chromium', { timeout: 180_000 }, () => {
  let dir: string;
  let server: ServerProcess;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    dir = await mkdtemp(join(tmpdir(), 'beacon-dash-e2e-'));
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      [
        `control_plane: { listen_address: 127.0.0.1, listen_port: 0, api_key: ${KEY} }`,
        'detection: { analysis_interval: 1 }',
        'persistence: { enabled: false }',
        'logging: { level: warning }',
      ].join('\n'),
    );
    server = await startServer(['-c', config]);
    const port = String(server.port);
    const sim = await runCli(
      ['--port', port, '--token', KEY, 'simulate', '--duration', '5400', '--speed', '3000', '--tick', '0.1', '--noise', '8', '--period', String(PERIOD), '--jitter', '0.02', '--json'],
      { timeoutMs: 90_000 },
    );
    expect(sim.code, sim.stderr).toBe(0);
    expect((await runCli(['--port', port, '--token', KEY, 'analyze'])).code).toBe(0);
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => document.querySelectorAll('.rows [role=row]').length >= 3, undefined, { timeout: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a browser gets the dashboard at /, the planted beacons are the top rows, the overview and stream are live', async () => {
    const top = (await rowKeys(page)).slice(0, 3);
    expect(top.map((k) => PLANTED.find((ip) => k.includes(`->${ip}:`))).sort()).toEqual([...PLANTED].sort());
    await page.waitForFunction(() => document.querySelector('.conn')?.getAttribute('data-state') === 'open');
    await page.waitForFunction(() => Number(document.querySelector('[data-metric=pair_count] .value')?.textContent?.replace(/,/g, '')) >= 11);
    expect(Number(await page.textContent('[data-metric=beacon_count] .value'))).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });
  });

  it('filters by severity and text, sorts by a column', async () => {
    await page.fill('#f-text', '203.0.113.50');
    await page.waitForFunction(() => document.querySelectorAll('.rows [role=row]').length === 1);
    await page.fill('#f-text', '');
    await page.selectOption('#f-severity', 'low');
    await page.waitForFunction(() => [...document.querySelectorAll('.rows [role=row]')].every((r) => r.classList.contains('sev-low')));
    await page.selectOption('#f-severity', '');
    await page.click('[data-key=port] button');
    expect(await page.getAttribute('[data-key=port]', 'aria-sort')).toBe('ascending');
    const ports = await page.$$eval('.rows [role=row] [role=gridcell]:nth-child(5)', (c) => c.map((x) => Number(x.textContent)));
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
    await page.click('[data-key=score] button');
    expect(await page.getAttribute('[data-key=score]', 'aria-sort')).toBe('descending');
  });

  it('keyboard: Tab reaches the table, arrows/Home/End move, Enter opens the pair', async () => {
    await page.focus('#f-text');
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.getAttribute('role'))) === 'row') break;
    }
    const active = () => page.evaluate(() => Number(document.activeElement?.getAttribute('data-index')));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('row');
    await page.keyboard.press('Home');
    expect(await active()).toBe(0);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await active()).toBe(2);
    await page.keyboard.press('End');
    const count = (await page.evaluate(() => window.__beacon?.visibleKeys().length)) as number;
    expect(await active()).toBe(count - 1);
    await page.keyboard.press('Home');
    expect(await active()).toBe(0);
    await page.keyboard.press('Enter');
    const first = (await rowKeys(page))[0] as string;
    await page.waitForFunction((k) => document.querySelector('.rows [aria-selected=true]')?.getAttribute('data-key') === k, first);
    await page.waitForSelector('#pair-title');
  });

  it('the pair view: histogram peak at the planted period, the timeline shows the events', async () => {
    const key = (await rowKeys(page)).find((k) => k.includes('->203.0.113.50:')) as string;
    await page.click(`.rows [data-key="${key}"]`);
    await page.waitForSelector('#histogram[data-peak-seconds]:not([data-peak-seconds=""])');
    const peak = Number(await page.getAttribute('#histogram', 'data-peak-seconds'));
    expect(Math.abs(peak - PERIOD) / PERIOD).toBeLessThan(0.06);
    const api = (await (await fetch(`${server.url}/api/v1/pairs/${encodeURIComponent(key)}`)).json()) as { events: { count: number } };
    expect(Number(await page.getAttribute('#timeline', 'data-event-count'))).toBe(api.events.count);
    expect(api.events.count).toBeGreaterThan(50);
    // the timeline canvas has a tick for the events: many distinct columns carry ink
    const inked = await page.$eval('#timeline canvas', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = (cv.getContext('2d') as CanvasRenderingContext2D).getImageData(0, Math.round(cv.height * 0.3), cv.width, 1).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(50);
    expect(await page.textContent('#pair')).toMatch(/Interval regularity[\s\S]*Periodicity[\s\S]*Jitter[\s\S]*Payload size/);
    expect(Number(await page.getAttribute('#spectrum', 'data-peak-period'))).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'pair.png'), fullPage: true });
  });

  it('no serious or critical accessibility violations (axe-core)', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('allowlisting through the config API asks for the token, says what changed, and the pair leaves the table', async () => {
    const key = (await rowKeys(page)).find((k) => k.includes('->203.0.113.50:')) as string;
    await page.click(`.rows [data-key="${key}"]`);
    await page.click('#allowlist');
    await page.waitForSelector('#token-dialog[open]');
    await page.fill('#token-input', KEY);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#token-dialog', { state: 'detached' });
    await page.click('#allowlist');
    await page.waitForFunction(() => /Added ".*" to whitelist\.pairs/.test(document.querySelector('#pair .status')?.textContent ?? ''));
    expect(await page.textContent('#pair .status')).toContain('"10.0.0.100:203.0.113.50:443"');
    await page.waitForFunction((k) => !document.querySelector(`.rows [data-key="${k}"]`), key);
    const config = (await (await fetch(`${server.url}/api/v1/config`)).json()) as { whitelist: { pairs: string[] } };
    expect(config.whitelist.pairs).toContain('10.0.0.100:203.0.113.50:443');
    await page.screenshot({ path: join(ARTIFACTS, 'allowlisted.png'), fullPage: true });
  });

  it('alerts arrive over the stream as they happen', async () => {
    expect(await postBeaconTelemetry(server.url, KEY, '10.9.9.9', '198.18.0.77', 'dash-test')).toBe(200);
    await page.waitForFunction(() => (document.querySelector('.alerts')?.textContent ?? '').includes('198.18.0.77'), undefined, { timeout: 20_000 });
  });
});

describe.skipIf(skip !== null)('offline HTML report in Chromium', { timeout: 120_000 }, () => {
  it('opened from file:// with the network off, it renders the same rows as analyze --json', async () => {
    const { beaconTimes, noiseTimes, seeded, zeekConnLog } = await import('../helpers/zeekLog.js');
    const dir = await mkdtemp(join(tmpdir(), 'beacon-dash-report-'));
    const rand = seeded(16);
    const t0 = 1_767_225_600;
    const pairs = [
      { src: '10.1.0.5', dst: '203.0.113.80', port: 443, times: beaconTimes(t0, 60, 200, 0.1, rand), bytes: 320 },
      { src: '10.1.0.6', dst: '198.51.100.9', port: 8080, times: beaconTimes(t0, 300, 40, 0.05, rand), bytes: 900 },
      ...Array.from({ length: 40 }, (_, i) => ({ src: `10.1.1.${i}`, dst: `192.0.2.${i}`, port: 443, times: noiseTimes(t0, 120, 60, rand), bytes: 200 + Math.floor(rand() * 3000) })),
    ];
    const log = join(dir, 'conn.log');
    const html = join(dir, 'report.html');
    await writeFile(log, zeekConnLog(pairs));
    const r = await runCli(['analyze', '--all', '--json', '--html', html, log]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ src_ip: string; dst_ip: string; is_beacon: boolean }>;
    expect(rows.slice(0, 2).map((x) => x.dst_ip).sort()).toEqual(['198.51.100.9', '203.0.113.80']);

    const b = await launchBrowser({ offline: true });
    try {
      const requests: string[] = [];
      b.page.on('request', (req) => requests.push(req.url()));
      await b.page.goto(`file://${html}`);
      await b.page.waitForFunction((n) => (window.__beacon?.visibleKeys().length ?? 0) === n, rows.length, { timeout: 20_000 });
      const keys = (await b.page.evaluate(() => window.__beacon?.visibleKeys())) as string[];
      expect(keys.map((k) => k.replace(/:\d+\/TCP$/, '').split('->'))).toEqual(rows.map((x) => [x.src_ip, x.dst_ip]));
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      await b.page.click(`.rows [data-key="${keys[0]}"]`);
      await b.page.waitForSelector('#histogram[data-peak-seconds]:not([data-peak-seconds=""])');
      expect(Number(await b.page.getAttribute('#timeline', 'data-event-count'))).toBeGreaterThan(30);
      expect(await seriousViolations(b.page)).toEqual([]);
      await b.page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      expect((await readFile(html, 'utf8')).length).toBeGreaterThan(1000);
    } finally {
      await b.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
