import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts one of this package's worker scripts: the built script of that name beside the bundle
 * in `dist`; or, when this module runs from its TypeScript source (tests, tsx), the source
 * (`source`, relative to this folder) through tsx's loader, resolved from here.
 */
export function startWorker(built: string, source: string): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${built}`, here));
  const tsx = join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs');
  const script = new URL(source, here).href;
  const code = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(code, { eval: true, execArgv: ['--conditions=@beacon/source'] });
}
