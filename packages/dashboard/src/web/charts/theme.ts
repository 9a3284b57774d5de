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

/**
 * Log-axis tick filter: keeps a tick only when its label cannot overlap the previous kept one
 * (uPlot's own filter labels only powers of ten, too few over less than a decade).
 */
export function spacedTicks(u: { valToPos(v: number, scale: string): number }, splits: number[]): Array<number | null> {
  let last = -Infinity;
  return splits.map((v) => {
    if (v == null) return null;
    const px = u.valToPos(v, 'x');
    if (px - last < 52) return null;
    last = px;
    return v;
  });
}
