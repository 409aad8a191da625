import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Engine, server and shared code run under Node; renderer tests opt into a DOM per file.
    environment: 'node',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll waits for a condition; its 1 s default is too short on a machine busy with
    // other work (a scrypt check behind nginx, a page's first paint). A condition that holds
    // still ends the wait at once.
    expect: { poll: { timeout: 10_000 } },
    // Two cores: real servers, real files and real processes run in every test file.
    pool: 'forks',
    maxWorkers: 2,
  },
});
