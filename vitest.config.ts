import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summaryReporter.ts'],
    testTimeout: 30_000,
    // A beforeAll that starts a node and mines gets what a test gets (vitest's default is 10 s:
    // cli/chain.test.ts's timed out at load 22-27, its tests then skipped).
    hookTimeout: 30_000,
    // PERF: a test file on each core. vitest's default in a run is one fewer (it keeps a core
    // for itself), so on the 2-core CI machine the files ran one at a time: 1,212 s of file
    // times in 1,370 s (CI of 6187162), about 0.85 of a core busy (the suite's CPU ≈ 1,170 s,
    // from a run with 2 workers stopped at 61 % of it). Four files (slowPeerWaits, cli/chain,
    // elasticWorkers, badInput), 1 and 2 workers alternated, wall (sum of file times): 755
    // (655) -> 344 (535) s at load 21-24; 233 (207) -> 154 (251) s at load 17-21, all passing.
    // The whole suite in CI (CI=true bash .ci/run on a fresh clone, quiet machine): vitest 22.8 min
    // for 2,406 tests (6187162) -> 12.9 min for 2,431 (ba4153e), all passing.
    maxWorkers: availableParallelism(),
    // Every node a test starts checks its answers against src/api/contract.ts (server.ts).
    env: { BLOCKYARD_CHECK_RESPONSES: '1' },
  },
});
