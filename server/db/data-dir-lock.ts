/**
 * One process per embedded database folder. PGlite has no locking of its own: two processes on
 * one folder both start, hand out the same ids and corrupt the indexes. The lock is a file in the
 * folder holding the owner's pid and start time; a lock whose owner is gone (kill -9, power loss)
 * is stale and taken over. The start time tells a live owner from a recycled pid.
 */
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from './startup-error.ts';

export const LOCK_FILE = 'minqing.lock';
/** A takeover in progress is abandoned after this long (its process died mid-takeover). */
const TAKEOVER_STALE_MS = 10_000;

interface Owner {
  pid: number;
  /** Kernel start time of the process (Linux), to tell it from a later one with the same pid. */
  started: string | null;
}

/** Linux: field 22 of /proc/<pid>/stat, the process's start time in clock ticks since boot. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: alive, owned by another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (owner.started === null) return true;
  const now = processStart(owner.pid);
  return now === null || now === owner.started;
}

function readOwner(path: string): Owner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, started: parsed.started ?? null };
  } catch {
    return null; // unreadable or half-written: treat as held by nobody
  }
}

/** Creates `path` holding `owner`, atomically: written aside, then hard-linked into place. */
function tryCreate(path: string, owner: Owner): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(owner));
  try {
    linkSync(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(temp);
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the folder's lock or throws a StartupError naming the folder and the holder's pid.
 * A stale lock is moved aside under a takeover guard (itself a `wx` file), so two processes
 * racing for a stale lock cannot both win.
 */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, LOCK_FILE);
  const me: Owner = { pid: process.pid, started: processStart(process.pid) };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, me)) return held(path, me);
    const owner = readOwner(path);
    if (owner && isAlive(owner)) {
      const who = owner.pid === process.pid ? 'this process' : `process ${owner.pid}`;
      throw new StartupError(
        `the data folder ${dir} is in use by ${who} (lock ${path}); stop it first, or set DATA_DIR to another folder`,
      );
    }
    takeOver(path, owner);
  }
  throw new StartupError(`could not lock the data folder ${dir}: its lock ${path} keeps changing`);
}

function takeOver(path: string, stale: Owner | null) {
  const guard = `${path}.takeover`;
  try {
    if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) unlinkSync(guard);
  } catch {
    // no guard, or another process removed it first
  }
  if (!tryCreate(guard, { pid: process.pid, started: null })) return; // another is taking over
  try {
    // Under the guard, the lock can only change if its owner was alive after all.
    const now = readOwner(path);
    if (now?.pid === stale?.pid && now?.started === stale?.started) {
      try {
        renameSync(path, `${path}.stale`);
      } catch {
        // already gone
      }
      if (stale) {
        console.warn(
          `taking over the data folder lock left by process ${stale.pid}, which is gone`,
        );
      }
    }
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      // nothing to clean
    }
  }
}

function held(path: string, me: Owner): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Remove only our own lock: never one a later owner took over.
    if (readOwner(path)?.pid === me.pid) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return { path, release };
}
