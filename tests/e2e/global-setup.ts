import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, ROOT, startServer, type RunningServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    artifacts: string;
  }
}

export const ARTIFACTS = resolve(ROOT, 'test-artifacts/e2e');

/**
 * Builds the web app and starts the real server on a free port with a fresh data folder, so no
 * run sees the tickets an earlier (failed) run left behind; seeding the demo city takes half a
 * minute. E2E_DATA_DIR keeps a folder between runs instead; E2E_SKIP_BUILD=1 reuses dist/;
 * E2E_BASE_URL points the tests at a server already running.
 */
export default async function setup(project: TestProject) {
  mkdirSync(ARTIFACTS, { recursive: true });
  console.log(`e2e artifacts (screenshots, server log): ${ARTIFACTS}`);
  project.provide('artifacts', ARTIFACTS);

  if (process.env.E2E_BASE_URL) {
    project.provide('baseUrl', process.env.E2E_BASE_URL.replace(/\/$/, ''));
    return;
  }

  if (!process.env.E2E_SKIP_BUILD) {
    const t0 = Date.now();
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
    console.log(`web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const port = await freePort();
  const keep = process.env.E2E_DATA_DIR;
  mkdirSync(resolve(ROOT, '.cache'), { recursive: true });
  const dataDir = keep ?? mkdtempSync(resolve(ROOT, '.cache/e2e-run-'));
  const t0 = Date.now();
  let server: RunningServer;
  try {
    server = await startServer({ port, dataDir, logFile: resolve(ARTIFACTS, 'server.log') });
  } catch (err) {
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const { baseUrl } = server;
  console.log(`server ready at ${baseUrl} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  project.provide('baseUrl', baseUrl);

  return async () => {
    await server.stop();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  };
}
