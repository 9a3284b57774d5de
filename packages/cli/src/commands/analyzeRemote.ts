import { apiClient, read } from '../internal/client.js';
import type { CommandContext } from '../internal/context.js';
import { beaconsTable } from '../internal/render.js';

/** `beacon analyze` with no files: forces an analysis run on the server and prints what it found. */
export async function analyzeRemote(ctx: CommandContext, json: boolean): Promise<void> {
  const res = await read(ctx.client, apiClient(ctx.client).api.v1.analyze.$post());
  if (json) {
    ctx.out.write(`${JSON.stringify(res, null, 2)}\n`);
    return;
  }
  const r = res.run;
  ctx.out.write(
    `Analysis ${r.run_id} ${res.status} in ${(r.duration_seconds * 1000).toFixed(1)} ms: ` +
      `${r.pairs_analyzed} pairs analysed, ${r.pairs_skipped} skipped, ${r.pairs_suppressed} suppressed, ` +
      `${r.beacons_detected} beacons, ${r.alerts_generated} alerts, ${r.errors} errors\n`,
  );
  if (res.beacons_found.length) ctx.out.write(`${beaconsTable([...res.beacons_found].sort((a, b) => b.combined_score - a.combined_score), ctx.colors)}\n`);
}
