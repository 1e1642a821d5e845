import { defineConfig } from 'vitest/config';
import './tests/node20-polyfills.ts';

// Browser tests: a built app served by the real server, driven in Debian's Chromium.
// One file at a time: SwiftShader renders WebGL on the CPU and there are two cores.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 180_000,
    // Building the app and seeding the demo city on first start both take a while.
    hookTimeout: 900_000,
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
    // The page answers after a server round trip on a CPU-rendered map: a second is not enough
    // when the machine is busy (the default poll timeout made the first run after a build flaky).
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
