// Dashboard benchmark (not a test): first render of 10,000 rows and the pair view, in Debian's
// headless Chromium, through the offline report (the same app and table as the live dashboard).
// Also prints the bundle's gzipped size. Run: pnpm --filter @beacon/tests bench
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dashboardAssets, renderReport, type ReportData, type ReportRow } from '@beacon/dashboard';
import { browserSkipReason, launchBrowser } from '../src/helpers/browser.js';

const ROWS = 10_000;
const PAIRS_WITH_HISTORY = 50;
const EVENTS = 1000;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

function data(): ReportData {
  const rows: ReportRow[] = [];
  const histories: ReportData['histories'] = {};
  const t0 = 1_767_225_600;
  for (let i = 0; i < ROWS; i++) {
    const score = 1 - i / ROWS;
    const key = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}->203.0.113.${i % 250}:443/TCP`;
    rows.push({
      pair_key: key, src_ip: key.split('->')[0] as string, dst_ip: `203.0.113.${i % 250}`, dst_port: 443, protocol: 'TCP', score, severity: SEVERITIES[Math.min(3, Math.floor((1 - score) * 4))] as string,
      is_beacon: score >= 0.7, benign_label: null, connection_count: 50 + (i % 900), interval: 30 + (i % 600), cv_score: score, periodicity_score: score, jitter_score: score, size_score: score,
      first_seen: new Date(t0 * 1000).toISOString(), last_seen: new Date((t0 + 86_400) * 1000).toISOString(), kind: i % 3 ? 'connection' : 'burst', direction: i % 5 ? 'outbound' : 'internal',
      explanation: { summary: `score ${score.toFixed(3)}` },
    });
    if (i < PAIRS_WITH_HISTORY) {
      const period = 30 + (i % 600);
      const times = Array.from({ length: EVENTS }, (_, k) => Math.round((t0 + k * period * (0.9 + 0.1 * Math.sin(k * 7.1 + i))) * 1000) / 1000);
      histories[key] = { times, sizes: times.map((_, k) => 300 + (k % 17)) };
    }
  }
  return { title: 'bench', generated_at: new Date().toISOString(), files: ['bench'], rows, histories };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const assets = dashboardAssets();
  let total = 0;
  for (const [name, f] of assets.files) {
    const raw = readFileSync(f.path);
    const gz = gzipSync(raw, { level: 9 }).length;
    total += gz;
    console.log(`bundle ${name}: ${(raw.length / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped`);
  }
  console.log(`bundle total: ${(total / 1024).toFixed(1)} KiB gzipped (budget 250 KB)`);

  const skip = browserSkipReason();
  if (skip) {
    console.log(`browser part skipped: ${skip}`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'beacon-dash-bench-'));
  const file = join(dir, 'report.html');
  const d = data();
  const report = renderReport(d);
  await writeFile(file, report);
  const html = (Buffer.byteLength(report) / 2 ** 20).toFixed(1);
  const runs: Array<{ nav: number; app: number }> = [];
  const pair: number[] = [];
  const b = await launchBrowser({ offline: true });
  try {
    await b.page.goto('about:blank');
    // navigation 0 is the renderer's cold start; the rest reload the page in the running browser
    for (let run = 0; run < 6; run++) {
      await b.page.goto(`file://${file}`);
      await b.page.waitForFunction(() => window.__beacon?.firstTableRenderAt != null, undefined, { timeout: 60_000 });
      const t = await b.page.evaluate(() => ({ started: window.__beacon?.startedAt as number, first: window.__beacon?.firstTableRenderAt as number, rows: document.querySelectorAll('.rows [role=row]').length }));
      runs.push({ nav: t.first, app: t.first - t.started });
      if (run === 0) console.log(`rows in the DOM with ${ROWS} rows in the table: ${t.rows} (virtualised)`);
      for (const key of Object.keys(d.histories).slice(0, 10)) {
        await b.page.evaluate((k) => window.__beacon?.openPair(k), key);
        pair.push((await b.page.evaluate(() => window.__beacon?.lastPairRenderMs)) as number);
      }
      await b.page.goto('about:blank');
    }
  } finally {
    await b.close();
  }
  await rm(dir, { recursive: true, force: true });
  const warm = runs.slice(1);
  console.log(`first render of ${ROWS} rows (report of ${html} MiB), navigation start to rows drawn: cold ${runs[0]?.nav.toFixed(0)} ms; then median ${median(warm.map((r) => r.nav)).toFixed(0)} ms (${warm.map((r) => r.nav.toFixed(0)).join(', ')}; target < 1000)`);
  console.log(`  of which the app (parse embedded data, sort, draw): median ${median(runs.map((r) => r.app)).toFixed(0)} ms`);
  const later = pair.filter((_, i) => i % 10 !== 0);
  const sorted = [...later].sort((a, b) => a - b);
  console.log(`pair view (${EVENTS} events: histogram, timeline, sizes, spectrum), data in hand: median ${median(later).toFixed(1)} ms, p90 ${sorted[Math.floor(sorted.length * 0.9)]?.toFixed(1)} ms; first of each page load (cold JIT) median ${median(pair.filter((_, i) => i % 10 === 0)).toFixed(1)} ms (target < 100)`);
}

await main();
