import type { Command } from 'commander';
import { apiClient, read } from '../internal/client.js';
import { contextOf, numberOption } from '../internal/context.js';
import { beaconsCsv, beaconsTable } from '../internal/render.js';

/** Registers `beacon beacons`: detected beacons, sorted by score. */
export function registerBeacons(program: Command): void {
  program
    .command('beacons')
    .description('detected beacons, sorted by score')
    .option('--min-score <score>', 'minimum combined score, 0.0 to 1.0', '0.0')
    .option('--limit <n>', 'at most this many rows', '50')
    .option('-o, --csv', 'emit CSV instead of the table')
    .option('--json', 'emit JSON')
    .action(async (opts: { minScore: string; limit: string; csv?: boolean; json?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const minScore = numberOption('--min-score', opts.minScore, { min: 0, max: 1 });
      const limit = numberOption('--limit', opts.limit, { min: 1, integer: true });
      const res = await read(ctx.client, apiClient(ctx.client).api.v1.beacons.$get({ query: { min_score: minScore, limit } }));
      const items = [...res.beacons].sort((a, b) => b.combined_score - a.combined_score).slice(0, limit);
      if (opts.json) ctx.out.write(`${JSON.stringify(items, null, 2)}\n`);
      else if (opts.csv) ctx.out.write(beaconsCsv(items));
      else ctx.out.write(items.length ? `${beaconsTable(items, ctx.colors)}\n` : 'No beacons detected.\n');
    });
}
