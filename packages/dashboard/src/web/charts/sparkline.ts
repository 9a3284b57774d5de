import { COLORS } from './theme.js';

/** A small line of the last values (no axes), drawn on a canvas. */
export function sparkline(canvas: HTMLCanvasElement, values: readonly number[]): void {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 160;
  const hgt = canvas.clientHeight || 36;
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(hgt * ratio);
  const ctx = canvas.getContext('2d');
  if (ctx === null || values.length === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === min) {
    max += 1;
    min = Math.max(0, min - 1);
  }
  const step = values.length > 1 ? canvas.width / (values.length - 1) : 0;
  const y = (v: number): number => canvas.height - 2 * ratio - ((v - min) / (max - min)) * (canvas.height - 4 * ratio);
  ctx.strokeStyle = COLORS.line;
  ctx.lineWidth = 1.5 * ratio;
  ctx.beginPath();
  values.forEach((v, i) => (i === 0 ? ctx.moveTo(0, y(v)) : ctx.lineTo(i * step, y(v))));
  ctx.stroke();
}
