import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { Alarm, AlarmList } from '../contract/wall.ts';
import type { Db } from '../db/client.ts';
import type { Sessions } from '../services/sessions.ts';
import {
  acknowledgeWallAlarm,
  ALARM_HOURS,
  listWallAlarms,
  type WallFeed,
  type WallMessage,
} from '../services/wall-alarms.ts';
import { requireWallViewer } from '../services/wall-viewer.ts';
import { errorResponses, idParams, json, queryDoc, router } from './openapi.ts';

/** A comment line keeps proxies and the browser from taking a quiet stream for a dead one. */
const PING_MS = 15_000;
/** A display's key is checked again this often: a revoked key ends its stream within seconds. */
const DISPLAY_RECHECK_MS = 2_000;
/** A wall that cannot keep up loses its oldest ticks, never an alarm. */
const MAX_QUEUE = 1_000;

type EndReason = 'revoked' | 'signed_out' | 'expired' | 'closing';

const hoursParam = z.coerce
  .number({ message: 'must be a whole number of hours from 1 to 48' })
  .int('must be a whole number of hours from 1 to 48')
  .min(1, 'must be a whole number of hours from 1 to 48')
  .max(ALARM_HOURS.max, 'must be a whole number of hours from 1 to 48')
  .default(ALARM_HOURS.default)
  .openapi(queryDoc('hours'));

/**
 * The wall's alarms and its live stream (/api/wall/alarms, /api/wall/stream). `feed` is the one
 * subscription to the live events that every wall stream of this process shares.
 */
export function wallAlarmRoutes(db: Db, feed: WallFeed, sessions: Sessions) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/alarms',
        summary: "The wall's alarms of the last hours, newest first (at most 200)",
        request: { query: z.object({ hours: hoursParam }) },
        responses: {
          200: { description: 'Alarms', content: json(AlarmList) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const viewer = requireWallViewer(c.get('actor'), c.get('display'));
        return c.json(await listWallAlarms(db, viewer, c.req.valid('query').hours), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/alarms/{id}/ack',
        summary:
          'Acknowledges an alarm (the city any, a district its own); a repeat changes nothing',
        request: { params: idParams },
        responses: {
          200: { description: 'The alarm, acknowledged', content: json(Alarm) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(await acknowledgeWallAlarm(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .get('/stream', (c) => {
      const viewer = requireWallViewer(c.get('actor'), c.get('display'));
      const session = viewer.kind === 'account' ? c.get('session') : null;
      const token = c.get('sessionToken');
      c.header('Cache-Control', 'no-store');
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        let seq = 0;
        const queue: WallMessage[] = [];
        let wake: (() => void) | null = null;
        let ended: EndReason | null = null;
        const end = (reason: EndReason) => {
          ended ??= reason;
          wake?.();
        };
        const unsubscribe = feed.subscribe(
          (m) => {
            if (queue.length >= MAX_QUEUE) {
              const tick = queue.findIndex((x) => x.event === 'tick');
              queue.splice(tick >= 0 ? tick : 0, 1);
            }
            queue.push(m);
            wake?.();
          },
          () => end('closing'),
        );
        const unwatch =
          viewer.kind === 'account' && session
            ? feed.onSessionRevoked(
                { tokenHash: session.tokenHash, accountId: viewer.actor.accountId },
                () => end('signed_out'),
              )
            : () => {};
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        let expiresAt = session?.expiresAt ?? Infinity;
        let checkAt = Date.now() + DISPLAY_RECHECK_MS;
        let pingAt = Date.now() + PING_MS;
        try {
          await stream.writeSSE({
            event: 'hello',
            data: JSON.stringify({ asOf: new Date().toISOString() }),
          });
          while (!stream.aborted && !stream.closed && !ended) {
            if (viewer.kind === 'display' && Date.now() >= checkAt) {
              if (!(await feed.displayStillValid(viewer.display))) {
                end('revoked');
                break;
              }
              checkAt = Date.now() + DISPLAY_RECHECK_MS;
            }
            if (Date.now() >= expiresAt) {
              // Other requests may have slid the expiry forward; the stream itself does not.
              const current = await sessions.resolve(token, { extend: false });
              if (!current) {
                end('expired');
                break;
              }
              expiresAt = current.expiresAt;
            }
            const next = queue.shift();
            if (next) {
              await stream.writeSSE({ event: next.event, data: next.data, id: String(++seq) });
              continue;
            }
            if (Date.now() >= pingAt) {
              // An event, not a comment: the wall's EventSource must see it to know the line lives.
              await stream.writeSSE({
                event: 'ping',
                data: JSON.stringify({ asOf: new Date().toISOString() }),
              });
              pingAt = Date.now() + PING_MS;
              continue;
            }
            const until = Math.min(
              pingAt,
              viewer.kind === 'display' ? checkAt : Infinity,
              expiresAt,
            );
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = null;
          }
          // A closing server says nothing: the wall reconnects to another process.
          if (ended && ended !== 'closing' && !stream.aborted) {
            await stream.writeSSE({ event: 'revoked', data: JSON.stringify({ reason: ended }) });
          }
        } finally {
          unsubscribe();
          unwatch();
        }
      });
    });
}
