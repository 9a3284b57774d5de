import { timestamp } from '../internal/format.js';
import { COLORS } from './theme.js';

/**
 * The event timeline: one tick per connection or burst across the window, on a canvas sized to
 * the device's pixels. A beacon shows as a comb.
 */
export function timeline(host: HTMLElement, times: readonly number[], width: number): void {
  const height = 56;
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.setAttribute('aria-hidden', 'true');
  host.append(canvas);
  const ctx = canvas.getContext('2d');
  const t0 = times[0];
  const t1 = times[times.length - 1];
  if (ctx === null || t0 === undefined || t1 === undefined) return;
  const span = Math.max(t1 - t0, 1e-3);
  const pad = 8 * ratio;
  const w = canvas.width - 2 * pad;
  ctx.fillStyle = COLORS.tick;
  for (const t of times) {
    const x = Math.round(pad + ((t - t0) / span) * w);
    ctx.fillRect(x, 6 * ratio, Math.max(1, Math.round(ratio)), 28 * ratio);
  }
  ctx.fillStyle = COLORS.axis;
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  ctx.fillText(timestamp(t0), pad, canvas.height - 2 * ratio);
  const end = timestamp(t1);
  ctx.fillText(end, canvas.width - pad - ctx.measureText(end).width, canvas.height - 2 * ratio);
}
