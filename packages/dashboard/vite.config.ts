import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser app: one HTML page, one script and one stylesheet, no code splitting, so the same
// files serve the live dashboard (under /dashboard/) and are inlined into the offline report.
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/dashboard/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    // at the top of dist/web (not .vite/), so npm pack keeps it
    manifest: 'manifest.json',
    target: 'es2022',
    modulePreload: false,
    reportCompressedSize: true,
    rollupOptions: { output: { codeSplitting: false } },
  },
});
