import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { apiClient, read } from '../internal/client.js';
import { contextOf } from '../internal/context.js';

/** Turns `detection.alert_threshold` and a value into `{detection: {alert_threshold: value}}`. */
export function nestedUpdate(path: string, rawValue: string): Record<string, unknown> {
  const keys = path.split('.').filter(Boolean);
  if (keys.length < 2) throw new Error(`config key must be SECTION.KEY (e.g. detection.alert_threshold), got "${path}"`);
  // YAML scalars: 0.8 is a number, true a boolean, [1, 2] a list, anything else a string.
  const value: unknown = parseYaml(rawValue);
  let out: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) out = { [keys[i] as string]: out };
  return out as Record<string, unknown>;
}

/** Reads a dotted key from an object, or undefined. */
function pick(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.').filter(Boolean)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Registers `beacon config get [key]` and `beacon config set key value`. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description("read or change the running server's configuration");
  config
    .command('get [key]')
    .description('print the configuration, or one SECTION.KEY of it')
    .action(async (key: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const cfg = await read(ctx.client, apiClient(ctx.client).api.v1.config.$get());
      const value = key ? pick(cfg, key) : cfg;
      if (value === undefined) throw new Error(`no such config key: ${key}`);
      ctx.out.write(typeof value === 'object' ? `${JSON.stringify(value, null, 2)}\n` : `${String(value)}\n`);
    });
  config
    .command('set <key> <value>')
    .description('change SECTION.KEY (validated by the server), e.g. `config set detection.alert_threshold 0.8`')
    .action(async (key: string, value: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const res = await read(ctx.client, apiClient(ctx.client).api.v1.config.$post({}, { headers: { 'content-type': 'application/json' }, init: { body: JSON.stringify(nestedUpdate(key, value)) } }));
      ctx.out.write(`${res.status}: ${key} = ${JSON.stringify(pick(res.config, key))}\n`);
    });
}
