import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { entry: 'src/index.ts', compilerOptions: { composite: false, customConditions: [] } },
  sourcemap: true,
  clean: true,
  banner: { js: '' },
});
