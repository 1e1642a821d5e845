import { expect } from 'vitest';

type Requester = {
  request: (u: string, init?: RequestInit) => Response | Promise<Response>;
};

export type SseEvent = { event: string; data: any };

/**
 * Opens a server-sent event stream (`/api/events`, `/api/wall/stream`) through the app and reads
 * its events, and its raw text, until the server closes it or `close()` is called.
 */
export async function openSse(app: Requester, url: string, cookie?: string) {
  const controller = new AbortController();
  const res = await app.request(url, {
    headers: cookie ? { cookie } : {},
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let raw = '';
  let buffer = '';
  let ended = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          ended = true;
          return;
        }
        const text = decoder.decode(value, { stream: true });
        raw += text;
        buffer += text;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    /** Everything the stream sent, comments included. */
    get raw() {
      return raw;
    },
    /** Whether the server closed the stream. */
    get ended() {
      return ended;
    },
    async waitFor(pred: (e: SseEvent) => boolean, ms = 5000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const hit = events.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      return undefined;
    },
    async close() {
      controller.abort();
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}
