import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summaryReporter.ts'],
    testTimeout: 30_000,
    // Every node a test starts checks its answers against src/api/contract.ts (server.ts).
    env: { BLOCKYARD_CHECK_RESPONSES: '1' },
  },
});
