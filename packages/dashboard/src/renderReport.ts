import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardAssets } from './dashboardAssets.js';
import { DashboardError } from './dashboardError.js';
import type { ReportData } from './reportData.js';

/** Text safe inside `<script>`/`<style>`: no `</script`, `</style` or `<!--` can close or confuse the element. */
function safeInScript(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON safe inside `<script type="application/json">`: every `<` escaped. */
function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function check(data: ReportData): void {
  if (!Array.isArray(data.rows)) throw new DashboardError('INVALID_REPORT', 'rows: expected an array');
  data.rows.forEach((r, i) => {
    for (const k of ['src_ip', 'dst_ip', 'protocol', 'severity', 'first_seen', 'last_seen'] as const)
      if (typeof r[k] !== 'string') throw new DashboardError('INVALID_REPORT', `rows[${i}].${k}: expected a string, got ${typeof r[k]}`);
    for (const k of ['dst_port', 'score', 'connection_count', 'cv_score', 'periodicity_score', 'jitter_score', 'size_score'] as const)
      if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) throw new DashboardError('INVALID_REPORT', `rows[${i}].${k}: expected a finite number`);
  });
  for (const [key, h] of Object.entries(data.histories))
    if (!Array.isArray(h.times) || !Array.isArray(h.sizes) || h.times.length !== h.sizes.length)
      throw new DashboardError('INVALID_REPORT', `histories["${key}"]: times and sizes must be arrays of the same length`);
}

/**
 * One self-contained HTML file: the dashboard's beacons table and pair views over `data`, with
 * the script, the stylesheet and the data inlined. It loads nothing (its Content-Security-Policy
 * forbids any request), so it opens from `file://` on a machine without network.
 * @throws {@link DashboardError} `ASSETS_MISSING` when the app was not built, `INVALID_REPORT` for bad data
 * @example
 * await writeFile('report.html', renderReport({ title: 'Hunt', generated_at: new Date().toISOString(), files: ['conn.log'], rows, histories }));
 */
export function renderReport(data: ReportData): string {
  check(data);
  const assets = dashboardAssets();
  const script = readFileSync(join(assets.dir, assets.script), 'utf8');
  const style = assets.style ? readFileSync(join(assets.dir, assets.style), 'utf8') : '';
  const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="dark">',
    `<title>${escapeHtml(data.title)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${safeInScript(style)}</style>`,
    '</head>',
    '<body>',
    '<div id="app"><p>Loading…</p></div>',
    `<script type="application/json" id="beacon-report">${jsonInScript(data)}</script>`,
    `<script type="module">${safeInScript(script)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
