import { defineConfig } from 'vitest/config';

const conditions = ['@beacon/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@beacon/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
