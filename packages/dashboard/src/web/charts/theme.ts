/** Chart colours (match style.css). */
export const COLORS = {
  axis: '#8b93a7',
  grid: 'rgba(139,147,167,0.15)',
  bar: '#4f9dff',
  point: '#4f9dff',
  mark: '#ff8a3d',
  tick: '#e6e9f0',
  line: '#7cc4ff',
} as const;

/** Axis options shared by every uPlot chart. */
export function axis(label?: string): Record<string, unknown> {
  return { stroke: COLORS.axis, grid: { stroke: COLORS.grid, width: 1 }, ticks: { stroke: COLORS.grid }, ...(label ? { label, labelSize: 18 } : {}) };
}
