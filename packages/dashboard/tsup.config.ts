import { defineConfig } from 'tsup';

// The Node side only (asset lookup and the report writer); the browser app is built by Vite
// into dist/web, which tsup must not wipe (clean: false).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { compilerOptions: { composite: false, customConditions: [] } },
  sourcemap: true,
  clean: false,
});
