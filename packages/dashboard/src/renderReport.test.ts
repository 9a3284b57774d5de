import { describe, expect, it } from 'vitest';
import { isDashboardError } from './dashboardError.js';
import type { ReportData } from './reportData.js';
import { renderReport } from './renderReport.js';

const data: ReportData = {
  title: 'Hunt <1>',
  generated_at: '2026-01-01T00:00:00Z',
  files: ['conn.log'],
  rows: [
    {
      pair_key: '10.0.0.1->203.0.113.9:443/TCP', src_ip: '10.0.0.1', dst_ip: '203.0.113.9', dst_port: 443, protocol: 'TCP', score: 0.9, severity: 'CRITICAL', is_beacon: true,
      benign_label: '</script><script>alert(1)</script>', connection_count: 3, interval: 60, cv_score: 1, periodicity_score: 1, jitter_score: 1, size_score: 1,
      first_seen: '2026-01-01T00:00:00Z', last_seen: '2026-01-01T00:02:00Z',
    },
  ],
  histories: { '10.0.0.1->203.0.113.9:443/TCP': { times: [0, 60, 120], sizes: [1, 2, 3] } },
};

describe('renderReport', () => {
  it('inlines script, style and data, forbids every request, and escapes what could close the script', () => {
    const html = renderReport(data);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(html).toContain('<title>Hunt &#60;1&#62;</title>');
    const json = /<script type="application\/json" id="beacon-report">([\s\S]*?)<\/script>/.exec(html)?.[1] as string;
    expect(json).not.toContain('</script');
    expect(JSON.parse(json)).toEqual(data);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('names the bad field', () => {
    const bad = { ...data, rows: [{ ...data.rows[0]!, score: Number.NaN }] };
    try {
      renderReport(bad);
      expect.unreachable();
    } catch (e) {
      expect(isDashboardError(e) && e.code).toBe('INVALID_REPORT');
      expect((e as Error).message).toContain('rows[0].score');
    }
  });
});
