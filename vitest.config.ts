import { defineConfig } from 'vitest/config';
import './tests/node20-polyfills.ts';

// Unit, API and web-logic tests in Node. Browser tests have their own config
// (vitest.e2e.config.ts) because they need a built app and Chromium.
export default defineConfig({
  test: {
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 300_000,
    // Two cores: PGlite instances are heavy, so files run two at a time at most.
    maxWorkers: 2,
    // On PostgreSQL every file shares one database, and the operations tests write to it:
    // files run one after another there so that no test reads another's half-done writes.
    fileParallelism: !process.env.DATABASE_URL,
    projects: [
      {
        // Pure code (geometry, web logic): no database is seeded for them.
        extends: true,
        test: { name: 'unit', include: ['tests/geo/**/*.test.ts', 'tests/web/**/*.test.ts'] },
      },
      {
        // The API and the seed, on a migrated and seeded database (PGlite, or DATABASE_URL).
        extends: true,
        test: {
          name: 'db',
          include: ['tests/server/**/*.test.ts', 'tests/seed/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
        },
      },
    ],
  },
});
