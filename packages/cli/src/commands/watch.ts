import type { Command } from 'commander';
import { apiClient, baseUrl, OfflineError, read } from '../internal/client.js';
import { contextOf, numberOption } from '../internal/context.js';
import { beaconsTable, longConnsTable } from '../internal/render.js';

const CLEAR = '\u001b[H\u001b[2J\u001b[3J';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

/** Registers `beacon watch`: the top beacons and long connections, redrawn in place. */
export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('live view: top 15 beacons (score >= 0.7) and top 10 connections longer than 1 h; Ctrl+C exits')
    .option('--interval <seconds>', 'refresh interval in seconds', '5')
    .option('--iterations <n>', 'stop after this many refreshes (default: until Ctrl+C)')
    .action(async (opts: { interval: string; iterations?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const interval = numberOption('--interval', opts.interval, { min: 0.1 });
      const iterations = opts.iterations === undefined ? Infinity : numberOption('--iterations', opts.iterations, { min: 1, integer: true });
      const api = apiClient(ctx.client);
      const tty = Boolean(ctx.out.isTTY);
      let stopped = false;
      let wake: (() => void) | undefined;
      const stop = (): void => {
        stopped = true;
        wake?.();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (tty) ctx.out.write(HIDE_CURSOR);
      try {
        for (let i = 0; i < iterations && !stopped; i++) {
          let screen: string;
          try {
            const [b, l] = await Promise.all([
              read(ctx.client, api.api.v1.beacons.$get({ query: { min_score: 0.7, limit: 15 } })),
              read(ctx.client, api.api.v1['long-connections'].$get({ query: { min_duration: 3600, limit: 10 } })),
            ]);
            const beacons = b.beacons.filter((x) => !x.benign_label).sort((x, y) => y.combined_score - x.combined_score).slice(0, 15);
            screen = [
              `Beacon watch: ${baseUrl(ctx.client)}   ${new Date().toISOString()}   every ${interval}s, Ctrl+C to exit`,
              '',
              ctx.colors.bold(`BEACONS (score >= 70%): ${beacons.length}`),
              beacons.length ? beaconsTable(beacons, ctx.colors) : '  none',
              '',
              ctx.colors.bold(`LONG CONNECTIONS (> 1h): ${l.connections.length}`),
              l.connections.length ? longConnsTable(l.connections.slice(0, 10)) : '  none',
            ].join('\n');
          } catch (error) {
            if (!(error instanceof OfflineError)) throw error;
            screen = ctx.colors.red(`✗ OFFLINE  ${error.message}`);
          }
          ctx.out.write(tty ? `${CLEAR}${screen}\n` : `${screen}\n\n`);
          if (i + 1 < iterations && !stopped) await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, interval * 1000);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        if (tty) ctx.out.write(SHOW_CURSOR);
      }
    });
}
