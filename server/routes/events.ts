import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { publicAccount, signedIn } from '../services/actors.ts';
import type { EventHub } from '../services/events.ts';

const KEEPALIVE_MS = 20_000;

/** `GET /api/events`: the signed-in account's live events as server-sent events. */
export function eventsRoutes(hub: EventHub) {
  return new Hono().get('/', (c) => {
    const actor = signedIn(c.get('actor'));
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let seq = 0;
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = hub.subscribe(actor, (event) => {
        queue.push(JSON.stringify(event));
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        await stream.writeSSE({
          event: 'ready',
          data: JSON.stringify({ account: publicAccount(actor) }),
        });
        while (!stream.aborted && !stream.closed) {
          if (queue.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, KEEPALIVE_MS);
            });
            wake = null;
            if (queue.length === 0 && !stream.aborted) await stream.write(': keepalive\n\n');
            continue;
          }
          const data = queue.shift()!;
          const kind = (JSON.parse(data) as { kind: string }).kind;
          await stream.writeSSE({ event: kind, data, id: String(++seq) });
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
