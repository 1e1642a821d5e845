/**
 * The real server as the browser tests run it: `scripts/start.ts` on a port and a PGlite data
 * folder of their own (seeded on first start), its output in a log file. The global setup starts
 * the one every test shares; a test that must stop and restart a server starts its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
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

export async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number) {
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

export interface RunningServer {
  process: ChildProcess;
  baseUrl: string;
  /** Stops the whole process group (npx, tsx and node) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the server on `port` with `dataDir` (PGlite) and waits until it answers. */
export async function startServer(opts: {
  port: number;
  dataDir: string;
  logFile: string;
  /** Add to the log instead of starting it afresh (a restart). */
  append?: boolean;
  timeoutMs?: number;
}): Promise<RunningServer> {
  const log = createWriteStream(opts.logFile, { flags: opts.append ? 'a' : 'w' });
  const server = spawn('npx', ['tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      DATA_DIR: opts.dataDir,
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (server.exitCode === null && server.signalCode === null && server.pid) {
      const exited = new Promise((r) => server.once('exit', r));
      try {
        process.kill(-server.pid, signal);
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    log.end();
  };
  try {
    await waitForHealth(baseUrl, server, opts.timeoutMs ?? 840_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { process: server, baseUrl, stop };
}
