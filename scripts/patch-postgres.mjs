// Fixes to postgres.js 3.4.x: three so that the API survives a database outage and recovers by
// itself (upstream issues porsager/postgres#1154 and #1208; fix proposed in #1209), covered by
// tests/server/errors.test.ts, and one so that arrays read the same as on PGlite, covered by
// tests/server/db-arrays.test.ts. Runs on `npm install` (postinstall); idempotent.
//
// 1. A write scheduled with setImmediate can fire after the connection closed and nulled its
//    socket: an uncatchable TypeError that kills the process. The guard settles the pending
//    queries with CONNECTION_CLOSED instead, which the API answers with a 503.
// 2. Kysely runs every query on a reserved connection. When one closes while reserved, releasing
//    it put it back among the open connections with no socket, so every later query failed and
//    the pool never reconnected. A connection that closed stays with the closed ones, which the
//    pool reconnects on demand.
// 3. Every new connection asks the server for its array types as soon as it is ready, and that
//    query's promise is returned into the void: a connection cut in that instant rejects it with
//    nobody listening, and Node ends the process on an unhandled rejection. The close itself is
//    reported to the queries that were waiting (a 503, then reconnection), so the fetch's own
//    rejection is dropped. (Turning `fetch_types` off is no way out: a connection opened for a
//    `reserve()` then never hands itself over, and Kysely reserves for every query.)
// 4. An array's NULL elements were handed to the element parser as the text NULL: 'NULL' in a
//    text[] (truthy), NaN in an int[]. They are null.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const MARK = '/* minqing: null-socket guard */';
const TARGET = '    const x = socket.write(chunk, fn)';
const GUARD = `    if (!socket) { ${MARK}
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
`;

const RELEASE = `    sql.release = () => {
      c.reserved = null
      onopen(c)
    }`;
const RELEASE_FIXED = `    sql.release = () => {
      c.reserved = null
      c.queue === closed || onopen(c) ${MARK}
    }`;

const FETCH_TYPES = '        return fetchArrayTypes()\n';
const FETCH_TYPES_FIXED = `        return fetchArrayTypes().catch(() => {}) /* minqing: types fetch on a cut connection */\n`;

const ELEMENT = 'xs.push(parser ? parser(x.slice(s.last, s.i)) : x.slice(s.last, s.i))';
const LAST_ELEMENT =
  'xs.push(parser ? parser(x.slice(s.last, s.i + 1)) : x.slice(s.last, s.i + 1))';
const element = (slice) =>
  `xs.push(((v) => v === 'NULL' ? null : parser ? parser(v) : v)(${slice})) /* minqing: NULL */`;

const PATCHES = [
  ['connection.js', TARGET, GUARD + TARGET],
  ['index.js', RELEASE, RELEASE_FIXED],
  ['connection.js', FETCH_TYPES, FETCH_TYPES_FIXED],
  ['types.js', ELEMENT, element('x.slice(s.last, s.i)')],
  ['types.js', LAST_ELEMENT, element('x.slice(s.last, s.i + 1)')],
];

let patched = 0;
for (const dir of ['src', 'cjs/src', 'cf/src']) {
  for (const [name, from, to] of PATCHES) {
    const file = `node_modules/postgres/${dir}/${name}`;
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (text.includes(to)) continue;
    if (!text.includes(from)) {
      console.warn(
        `patch-postgres: ${file} changed upstream; check whether the fix is still needed`,
      );
      continue;
    }
    writeFileSync(file, text.split(from).join(to));
    patched++;
  }
}
if (patched) console.log(`patch-postgres: patched ${patched} file(s)`);
