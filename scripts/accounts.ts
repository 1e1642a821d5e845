/**
 * npm run accounts -- <command> [options]: accounts from the server's shell, on the database the
 * app uses (DATABASE_URL, else the PGlite folder DATA_DIR). This is how a real deployment gets its
 * first city administrator; after that, accounts are managed in the web app. Every change is in
 * the audit log as `cli:<operating-system user>`.
 *
 * Passwords are never taken from the command line unless forced with --password (shell history):
 * --password-stdin reads the first line of standard input, MINQING_PASSWORD is read from the
 * environment, and otherwise a terminal is asked, twice, without echo.
 */
import { userInfo } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROLE_KEYS, type Role } from '../geo/operations.ts';
import { loadConfig } from '../server/config.ts';
import { openDb, type Db } from '../server/db/client.ts';
import { migrateUp } from '../server/db/migrate.ts';
import * as q from '../server/db/queries/accounts.ts';
import { ApiError } from '../server/errors.ts';
import * as s from '../server/services/accounts.ts';

export const HELP = `npm run accounts -- <command> [options]

  list [--role R] [--q TEXT] [--disabled]     the accounts, bound scope and state
  create --username U --role R --name NAME [--area ID|CODE] [--company ID]
         [--department ID|CODE] [--phone P]   a new account (asks for its password)
  disable USERNAME                            it can no longer sign in; its sessions end
  enable USERNAME
  reset-password USERNAME                     a new password (asks for it); its sessions end
  disable-demo                                disables every demo account (public password)

  roles: ${ROLE_KEYS.join(', ')}
  --area takes an area id or its official code (620102…) for district, subdistrict, community,
  gridworker and sentinel accounts; --company a property company id; --department an id or a
  code (housing, water…).
  Password: --password-stdin (first line of standard input), or MINQING_PASSWORD in the
  environment, or typed at the prompt; --password P works but lands in your shell history.
  Uses DATABASE_URL, else the embedded database in DATA_DIR (default ./data); the embedded
  database takes one process at a time, so stop the server before using it there.

  First administrator of a new deployment:
    npm run accounts -- create --username admin --role city --name 管理员
`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** The whole of standard input (for --password-stdin). */
  readStdin: () => Promise<string>;
  /** Asks a person at a terminal, without echo; null when there is no terminal. */
  promptHidden: ((question: string) => Promise<string>) | null;
}

class UsageError extends Error {}

async function readPassword(
  io: CliIo,
  values: { password?: string; 'password-stdin'?: boolean },
): Promise<string> {
  if (values['password-stdin']) {
    const text = await io.readStdin();
    const line = text.split(/\r?\n/)[0] ?? '';
    if (!line) throw new UsageError('--password-stdin: standard input was empty');
    return line;
  }
  if (io.env.MINQING_PASSWORD) return io.env.MINQING_PASSWORD;
  if (values.password !== undefined) {
    io.err('warning: --password leaves the password in your shell history');
    return values.password;
  }
  if (!io.promptHidden) {
    throw new UsageError(
      'no password given: use --password-stdin or MINQING_PASSWORD (there is no terminal to ask)',
    );
  }
  const first = await io.promptHidden('new password: ');
  const again = await io.promptHidden('again: ');
  if (first !== again) throw new UsageError('the two passwords differ');
  return first;
}

function operator(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'operator';
  }
}

function idOrCode(value: string, what: string): { id?: number; code?: string } {
  if (/^\d+$/.test(value)) return value.length >= 6 ? { code: value } : { id: Number(value) };
  if (/^[a-z_]+$/.test(value)) return { code: value };
  throw new UsageError(`${what} must be an id or a code, not '${value}'`);
}

function scopeText(a: s.AccountJson): string {
  return a.scope.kind === 'city' ? '全市' : `${a.scope.name} (${a.scope.kind} ${a.scope.id})`;
}

const pad = (text: string, n: number) => text + ' '.repeat(Math.max(1, n - [...text].length));

/** Runs one command; returns the exit code (0 done, 1 refused, 2 bad usage). */
export async function runAccounts(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(HELP);
    return command ? 0 : 2;
  }
  let db: Db | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        username: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        area: { type: 'string' },
        company: { type: 'string' },
        department: { type: 'string' },
        phone: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        q: { type: 'string' },
        disabled: { type: 'boolean' },
      },
    });
    const role = (r: string | undefined): Role | undefined => {
      if (r === undefined) return undefined;
      if (!(ROLE_KEYS as string[]).includes(r)) {
        throw new UsageError(`--role must be one of ${ROLE_KEYS.join(', ')}`);
      }
      return r as Role;
    };
    const username = () => {
      const u = positionals[0]?.trim().toLowerCase();
      if (!u)
        throw new UsageError(`${command} needs a username: npm run accounts -- ${command} NAME`);
      return u;
    };
    const known = ['list', 'create', 'disable', 'enable', 'reset-password', 'disable-demo'];
    if (!known.includes(command)) throw new UsageError(`unknown command '${command}'`);

    const config = loadConfig(io.env);
    db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
    await migrateUp(db);
    const cli = { cli: operator(io.env) };

    switch (command) {
      case 'list': {
        const page = await s.listAccounts(db, cli, {
          role: role(values.role),
          q: values.q,
          disabled: values.disabled ? true : undefined,
          limit: 10_000,
          offset: 0,
        });
        io.out(`${page.total} account(s)`);
        for (const a of page.items) {
          const flags = [a.disabled ? 'disabled' : '', a.demo ? 'demo' : ''].filter(Boolean);
          io.out(
            `${pad(String(a.id), 6)}${pad(a.username, 16)}${pad(a.role, 18)}${pad(a.displayName, 24)}${scopeText(a)}${flags.length ? `  [${flags.join(', ')}]` : ''}`,
          );
        }
        return 0;
      }
      case 'create': {
        const r = role(values.role);
        if (!values.username || !r || !values.name) {
          throw new UsageError('create needs --username, --role and --name');
        }
        let areaId: number | undefined;
        if (values.area !== undefined) {
          const ref = idOrCode(values.area, '--area');
          areaId = ref.id ?? (await q.findAreaIdByCode(db.kysely, ref.code!));
          if (areaId === undefined) throw new UsageError(`--area: no area with code ${ref.code}`);
        }
        let departmentId: number | undefined;
        if (values.department !== undefined) {
          const ref = idOrCode(values.department, '--department');
          departmentId = ref.id ?? (await q.findDepartmentIdByCode(db.kysely, ref.code!));
          if (departmentId === undefined) {
            throw new UsageError(`--department: no department with code ${ref.code}`);
          }
        }
        let propertyCompanyId: number | undefined;
        if (values.company !== undefined) {
          if (!/^\d+$/.test(values.company)) throw new UsageError('--company must be an id');
          propertyCompanyId = Number(values.company);
        }
        const username = values.username.trim().toLowerCase();
        const password = await readPassword(io, values);
        const a = await s.createAccount(db, cli, {
          username,
          displayName: values.name.trim(),
          role: r,
          password,
          phone: values.phone ?? null,
          areaId,
          propertyCompanyId,
          departmentId,
        });
        io.out(`created ${a.role} account '${a.username}' (id ${a.id}), ${scopeText(a)}`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const id = await s.accountIdByUsername(db, username());
        const a =
          command === 'disable'
            ? await s.disableAccount(db, cli, id)
            : await s.enableAccount(db, cli, id);
        io.out(`${a.username} is ${a.disabled ? 'disabled; its sessions have ended' : 'enabled'}`);
        return 0;
      }
      case 'reset-password': {
        const id = await s.accountIdByUsername(db, username());
        const password = await readPassword(io, values);
        const a = await s.resetPassword(db, cli, id, password);
        io.out(`new password set for ${a.username}; its sessions have ended`);
        return 0;
      }
      case 'disable-demo': {
        const names = (await s.demoInfo(db)).usernames;
        for (const name of names) {
          await s.disableAccount(db, cli, await s.accountIdByUsername(db, name));
        }
        io.out(
          names.length
            ? `disabled ${names.length} demo account(s): ${names.join(', ')}`
            : 'no enabled demo accounts',
        );
        return 0;
      }
    }
    return 2;
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.err(`error: ${(err as Error).message} (npm run accounts -- help)`);
      return 2;
    }
    if (err instanceof ApiError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    io.err(`error: ${(err as Error).message ?? String(err)}`);
    return 1;
  } finally {
    await db?.close();
  }
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal with echo off. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stdout.write(question);
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runAccounts(process.argv.slice(2), {
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    readStdin: () => readAll(process.stdin),
    promptHidden: process.stdin.isTTY ? promptHidden : null,
  });
}
