/**
 * The embedded database's folder: one process at a time, a lock left by kill -9 taken over, and
 * folders the server cannot use refused with one line naming the folder and the cause.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../../server/db/data-dir-lock.ts';
import { StartupError } from '../../server/db/startup-error.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'minqing-data-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

// `node --import tsx`, not the tsx command: that forks a child, so kill -9 would miss the server.
const NODE_ARGS = ['--import', 'tsx'];

/**
 * Runs a process to its end (or `timeoutMs`), its output going to a file. Not a pipe: PGlite's
 * initdb reads stdin and writes stdout synchronously, and on Node's socket-pair pipes it waits
 * forever (stdin) or spins (stdout would block).
 */
function run(args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  const logs = tempDir();
  const out = openSync(join(logs, 'out'), 'w');
  const err = openSync(join(logs, 'err'), 'w');
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
    // A clean environment: what a service manager would give it, not vitest's.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  children.push(child);
  const stderr = () => readFileSync(join(logs, 'err'), 'utf8');
  const text = () => readFileSync(join(logs, 'out'), 'utf8') + stderr();
  return {
    child,
    /** What the process wrote to stderr. */
    output: () => stderr(),
    waitFor: async (wanted: string) => {
      const until = Date.now() + timeoutMs;
      while (!text().includes(wanted)) {
        if (Date.now() > until || child.exitCode !== null) {
          throw new Error(
            `no '${wanted}' (exit ${child.exitCode} ${child.signalCode}) in: ${text()}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    exit: new Promise<number | null>((ok) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        ok(code);
      });
    }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A process that holds the lock of `dir` until killed. */
function holder(dir: string) {
  return run(
    [
      '-e',
      `import('./server/db/data-dir-lock.ts').then(({ lockDataDir }) => { lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000); })`,
    ],
    {},
  );
}

describe('the data folder lock', () => {
  it('refuses a second holder, naming the folder and the pid, and takes over after kill -9', async () => {
    const dir = tempDir();
    const first = holder(dir);
    await first.waitFor('locked');
    const pid = first.child.pid!;
    expect(() => lockDataDir(dir)).toThrow(StartupError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`${dir}.*process ${pid}`));
    first.child.kill('SIGKILL');
    await first.exit;
    // The lock file is still there, owned by a dead process: taken over.
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('lets only one of many racing processes take a stale lock', async () => {
    const dir = tempDir();
    // A lock left by a pid that does not exist.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 17, started: '1' }));
    const racers = Array.from({ length: 4 }, () => holder(dir));
    const outcomes = await Promise.all(
      racers.map(
        (r) =>
          new Promise<string>((ok) => {
            r.child.on('exit', () => ok('failed'));
            void r.waitFor('locked').then(
              () => ok('locked'),
              () => ok('failed'),
            );
          }),
      ),
    );
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(1);
    racers.forEach((r) => r.child.kill('SIGKILL'));
  });

  it('a second server on the folder exits at once with one line', async () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    try {
      const second = run(['server/main.ts'], { DATA_DIR: dir, PORT: '18791' });
      expect(await second.exit).toBe(1);
      const lines = second.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(dir);
      expect(lines[0]).toContain(`process ${process.pid}`);
    } finally {
      lock.release();
    }
  });

  it('starts again after kill -9', async () => {
    const dir = tempDir();
    const port = await freePort();
    const env = { DATA_DIR: dir, PORT: String(port) };
    const first = run(['server/main.ts'], env, 120_000);
    await first.waitFor('ready in');
    first.child.kill('SIGKILL');
    await first.exit;
    const second = run(['server/main.ts'], env, 120_000);
    await second.waitFor('ready in');
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 240_000);
});

describe('folders the server cannot use', () => {
  it.each([
    [
      'a file, not a folder',
      () => {
        const file = join(tempDir(), 'data');
        writeFileSync(file, 'x');
        return file;
      },
      /not a folder/,
    ],
    ['on a read-only file system', () => '/proc/minqing-data', /cannot use the data folder/],
  ])('%s: one line naming the path, exit 1', async (_what, path, why) => {
    const dir = path();
    const r = run(['server/main.ts'], { DATA_DIR: dir, PORT: '18793' });
    expect(await r.exit).toBe(1);
    const lines = r.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dir);
    expect(lines[0]).toMatch(why);
  });

  it('a bad setting: one line, exit 1', async () => {
    const r = run(['server/main.ts'], { PORT: 'eighty' });
    expect(await r.exit).toBe(1);
    const lines = r.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
  });
});
