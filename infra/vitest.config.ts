import { defineConfig } from 'vitest/config';

/** `npm run test:infra`: the CDK app's tests alone (the root config runs them with the rest). */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['infra/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
