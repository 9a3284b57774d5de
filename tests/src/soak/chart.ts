/** One series of a line chart: label, colour, and y values (one per x). */
export interface Series {
  label: string;
  colour: string;
  values: number[];
}

/**
 * A small standalone SVG line chart (no dependencies): x values along the bottom, every series
 * against one y axis from 0, with a legend. Enough to show whether memory stays flat.
 */
export function lineChart(title: string, xLabel: string, yLabel: string, xs: number[], series: Series[]): string {
  const W = 720;
  const H = 360;
  const L = 70;
  const R = 20;
  const T = 40;
  const B = 50;
  const xMax = Math.max(...xs, 1);
  const yMax = Math.max(1, ...series.flatMap((s) => s.values)) * 1.1;
  const px = (x: number): number => L + (x / xMax) * (W - L - R);
  const py = (y: number): number => H - B - (y / yMax) * (H - T - B);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${xLabel}</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${yLabel}</text>`,
  ];
  for (let k = 0; k <= 5; k++) {
    const y = (yMax / 5) * k;
    out.push(`<line x1="${L - 4}" y1="${py(y)}" x2="${W - R}" y2="${py(y)}" stroke="#ddd"/>`, `<text x="${L - 8}" y="${py(y) + 4}" text-anchor="end">${y.toFixed(0)}</text>`);
    const x = (xMax / 5) * k;
    out.push(`<text x="${px(x)}" y="${H - B + 16}" text-anchor="middle">${x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : x.toFixed(0)}</text>`);
  }
  series.forEach((s, i) => {
    const pts = s.values.map((v, j) => `${px(xs[j]!).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${pts}"/>`);
    out.push(`<rect x="${L + 10 + i * 160}" y="${T - 8}" width="12" height="3" fill="${s.colour}"/>`, `<text x="${L + 28 + i * 160}" y="${T - 4}">${s.label}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
