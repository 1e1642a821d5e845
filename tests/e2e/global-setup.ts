import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    artifacts: string;
  }
}

const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = resolve(ROOT, 'test-artifacts/e2e');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return (await res.json()) as unknown;
    } catch {
      // not listening yet: it seeds the demo city before it serves
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`no answer from ${url}/api/health within ${timeoutMs / 1000} s`);
}

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
  const log = createWriteStream(resolve(ARTIFACTS, 'server.log'));
  const server = spawn('npx', ['tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  try {
    await waitForHealth(baseUrl, server, 840_000);
  } catch (err) {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  console.log(`server ready at ${baseUrl} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  project.provide('baseUrl', baseUrl);

  return async () => {
    if (server.exitCode === null && server.pid) {
      // The whole process group: npx, tsx and node.
      process.kill(-server.pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
    }
    log.end();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  };
}
