import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DashboardError } from './dashboardError.js';

/** One file of the built browser app. */
export interface DashboardFile {
  /** Absolute path on disk. */
  path: string;
  /** Content-Type to serve it with. */
  type: string;
}

/** The built browser app: what a server needs to serve it and a report needs to inline it. */
export interface DashboardAssets {
  /** Directory holding index.html and assets/. */
  dir: string;
  /** The page (its script and stylesheet under `/dashboard/assets/`). */
  indexHtml: string;
  /** Files under `/dashboard/`, by path relative to it (e.g. `assets/index-1a2b3c.js`). */
  files: ReadonlyMap<string, DashboardFile>;
  /** Path (relative, as in `files`) of the one script and the one stylesheet. */
  script: string;
  style: string | null;
}

/** URL path prefix the assets are built for (Vite `base`). */
export const DASHBOARD_BASE = '/dashboard/';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface ManifestChunk {
  file: string;
  css?: string[];
  isEntry?: boolean;
}

let cached: DashboardAssets | undefined;

/**
 * Locates the browser app built by Vite (`dist/web` of this package) and lists its files from
 * Vite's manifest, once. Only files in the manifest are served, so no request path reaches the
 * file system.
 * @throws {@link DashboardError} `ASSETS_MISSING` when the app was not built
 */
export function dashboardAssets(): DashboardAssets {
  if (cached) return cached;
  // from src/ (source condition) and from dist/ alike, the build sits in ../dist/web
  const dir = fileURLToPath(new URL('../dist/web/', import.meta.url));
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new DashboardError('ASSETS_MISSING', `the dashboard is not built (no ${manifestPath}): run "pnpm --filter @beacon/dashboard build"`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.values(manifest).find((c) => c.isEntry);
  if (!entry) throw new DashboardError('ASSETS_MISSING', `${manifestPath} names no entry chunk: rebuild the dashboard`);
  const files = new Map<string, DashboardFile>();
  const add = (rel: string): void => {
    const ext = rel.slice(rel.lastIndexOf('.'));
    files.set(rel, { path: join(dir, rel), type: TYPES[ext] ?? 'application/octet-stream' });
  };
  for (const chunk of Object.values(manifest)) {
    add(chunk.file);
    for (const css of chunk.css ?? []) add(css);
  }
  cached = {
    dir,
    indexHtml: readFileSync(join(dir, 'index.html'), 'utf8'),
    files,
    script: entry.file,
    style: entry.css?.[0] ?? null,
  };
  return cached;
}
