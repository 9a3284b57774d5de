import uPlot from 'uplot';
import { logHistogram, peakBin, type LogBin } from '../internal/histogram.js';
import { duration } from '../internal/format.js';
import { axis, COLORS, spacedTicks } from './theme.js';

/** What the interval histogram drew (also written on the figure as data-* attributes). */
export interface HistogramSummary {
  bins: LogBin[];
  peak: LogBin | undefined;
}

/** Draws a vertical line at `x` (data units) across the plot. */
export function markX(u: uPlot, x: number | null, color: string): void {
  if (x === null || !(x > 0)) return;
  const px = u.valToPos(x, 'x', true);
  const { top, height, left, width } = u.bbox;
  if (px < left || px > left + width) return;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * uPlot.pxRatio;
  ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
  ctx.beginPath();
  ctx.moveTo(px, top);
  ctx.lineTo(px, top + height);
  ctx.stroke();
  ctx.restore();
}

/**
 * The interval histogram: log-spaced bins on a log x axis, the estimated period marked with a
 * dashed line. Returns the bins and the peak for the caption and for tests.
 */
export function histogramChart(host: HTMLElement, intervals: readonly number[], period: number | null, width: number): HistogramSummary {
  const bins = logHistogram(intervals, 20, period);
  const peak = peakBin(bins);
  if (bins.length === 0) {
    host.textContent = 'Not enough events for intervals.';
    return { bins, peak };
  }
  // pad one empty bin each side so single-bin histograms still have an x range
  const xs = [bins[0]!.lo / 1.05, ...bins.map((b) => b.mid), bins[bins.length - 1]!.hi * 1.05];
  const ys = [0, ...bins.map((b) => b.count), 0];
  const opts: uPlot.Options = {
    width,
    height: 180,
    legend: { show: false },
    cursor: { show: true, drag: { x: false, y: false } },
    scales: { x: { time: false, distr: 3, log: 10 }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [{ ...axis('interval (log)'), filter: (u, splits) => spacedTicks(u, splits), values: (_u, splits) => splits.map((v) => (v == null ? '' : duration(v))) }, axis('count')],
    series: [{}, { stroke: COLORS.bar, fill: 'rgba(79,157,255,0.55)', paths: uPlot.paths.bars!({ size: [0.9, Infinity], align: 0 }), points: { show: false } }],
    hooks: { draw: [(u) => markX(u, period, COLORS.mark)] },
  };
  new uPlot(opts, [xs, ys], host);
  return { bins, peak };
}
