import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { publicAccount, signedIn } from '../services/actors.ts';
import type { EventHub } from '../services/events.ts';
import type { Sessions } from '../services/sessions.ts';

const KEEPALIVE_MS = 20_000;
/**
 * A stream looks its session up again this often, besides ending at once on a revocation: that
 * catches a disabled account, or a revocation missed while the database connection was down.
 */
const RECHECK_MS = 30_000;

type EndReason = 'signed_out' | 'expired' | 'closing';

/**
 * `GET /api/events`: the signed-in account's live events as server-sent events, for as long as
 * its session holds. When the session ends (sign-out anywhere, expiry) the stream sends
 * `session_ended` and closes; the browser's reconnect then meets a 401.
 */
export function eventsRoutes(hub: EventHub, sessions: Sessions) {
  return new Hono().get('/', (c) => {
    const actor = signedIn(c.get('actor'));
    const token = c.get('sessionToken');
    const session = c.get('session')!;
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let seq = 0;
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      let ended: EndReason | null = null;
      const end = (reason: EndReason) => {
        ended ??= reason;
        wake?.();
      };
      const unsubscribe = hub.subscribe(
        actor,
        (event) => {
          queue.push(JSON.stringify(event));
          wake?.();
        },
        { tokenHash: session.tokenHash, end: (why) => end(why === 'revoked' ? 'signed_out' : why) },
      );
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      let expiresAt = session.expiresAt;
      let checkedAt = Date.now();
      let keepaliveAt = Date.now() + KEEPALIVE_MS;
      try {
        await stream.writeSSE({
          event: 'ready',
          data: JSON.stringify({ account: publicAccount(actor) }),
        });
        while (!stream.aborted && !stream.closed && !ended) {
          if (queue.length === 0) {
            const now = Date.now();
            const until = Math.min(keepaliveAt, checkedAt + RECHECK_MS, expiresAt);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, Math.max(0, until - now));
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = null;
            if (ended || stream.aborted) break;
            const after = Date.now();
            if (after >= expiresAt || after - checkedAt >= RECHECK_MS) {
              // Other requests may have slid the expiry forward; an idle stream does not.
              const current = await sessions.resolve(token, { extend: false });
              if (!current) {
                end(Date.now() >= expiresAt ? 'expired' : 'signed_out');
                break;
              }
              expiresAt = current.expiresAt;
              checkedAt = Date.now();
            }
            if (queue.length === 0 && Date.now() >= keepaliveAt) {
              await stream.write(': keepalive\n\n');
              keepaliveAt = Date.now() + KEEPALIVE_MS;
            }
            continue;
          }
          const data = queue.shift()!;
          const kind = (JSON.parse(data) as { kind: string }).kind;
          await stream.writeSSE({ event: kind, data, id: String(++seq) });
        }
        // A closing server says nothing: the browser reconnects to another process.
        if (ended && ended !== 'closing' && !stream.aborted) {
          await stream.writeSSE({
            event: 'session_ended',
            data: JSON.stringify({ reason: ended }),
          });
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
