import uPlot from 'uplot';
import { duration } from '../internal/format.js';
import type { Spectrum } from '../internal/spectrum.js';
import { markX } from './histogramChart.js';
import { axis, COLORS, spacedTicks } from './theme.js';

/** The event train's power spectrum against period (log x), the estimated period marked. */
export function spectrumChart(host: HTMLElement, spectrum: Spectrum, period: number | null, width: number): void {
  if (spectrum.points.length === 0) {
    host.textContent = 'Not enough events for a spectrum.';
    return;
  }
  const opts: uPlot.Options = {
    width,
    height: 150,
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: false, distr: 3, log: 10 }, y: { range: [0, 1.05] } },
    axes: [{ ...axis('period (log)'), filter: (u, splits) => spacedTicks(u, splits), values: (_u, splits) => splits.map((v) => (v == null ? '' : duration(v))) }, axis('power')],
    series: [{}, { stroke: COLORS.line, width: 1, points: { show: false } }],
    hooks: { draw: [(u) => markX(u, period, COLORS.mark)] },
  };
  new uPlot(opts, [spectrum.points.map((p) => p.period), spectrum.points.map((p) => p.power)], host);
}
