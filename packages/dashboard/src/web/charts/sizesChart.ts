import uPlot from 'uplot';
import { axis, COLORS } from './theme.js';

/** Payload size of every event over time (points, log y when sizes span decades). */
export function sizesChart(host: HTMLElement, times: readonly number[], sizes: readonly number[], width: number): void {
  if (times.length === 0) {
    host.textContent = 'No events.';
    return;
  }
  let min = Infinity;
  let max = 0;
  for (const s of sizes) {
    if (s > 0 && s < min) min = s;
    if (s > max) max = s;
  }
  const log = min > 0 && max / min > 100;
  const opts: uPlot.Options = {
    width,
    height: 150,
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: true }, y: log ? { distr: 3, log: 10 } : { range: (_u, _a, b) => [0, Math.max(1, b * 1.1)] } },
    axes: [axis(), axis('bytes')],
    series: [{}, { stroke: COLORS.point, paths: () => null, points: { show: true, size: 4, fill: COLORS.point, stroke: COLORS.point } }],
  };
  const ys = log ? sizes.map((s) => (s > 0 ? s : null)) : [...sizes];
  new uPlot(opts, [[...times], ys], host);
}
