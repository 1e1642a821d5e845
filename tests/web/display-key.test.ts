import { describe, expect, it } from 'vitest';
import { adoptDisplayKey, displayKeyOf } from '../../web/src/wall/display-key.ts';

const KEY = 'q3Xy-Zk_0123456789abcdefghijABCDEFGHIJ01234';

/** A location and history that record what the page would show in its address bar. */
function page(href: string) {
  const url = new URL(href);
  const calls: string[] = [];
  const location = {
    get hash() {
      return url.hash;
    },
    get pathname() {
      return url.pathname;
    },
    get search() {
      return url.search;
    },
  } as Location;
  const history = {
    state: { scene: 3 },
    replaceState(_state: unknown, _unused: string, to: string) {
      calls.push(to);
      const next = new URL(to, url);
      url.hash = next.hash;
      url.pathname = next.pathname;
      url.search = next.search;
    },
  } as unknown as History;
  return { location, history, calls, url };
}

/** A fetch that answers with the given statuses in turn (or throws for 'down'). */
function fakeFetch(answers: (number | 'down')[]) {
  const sent: { url: string; init: RequestInit; hashAtCall?: string }[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const a = answers[Math.min(sent.length - 1, answers.length - 1)]!;
    if (a === 'down') throw new TypeError('Failed to fetch');
    return new Response(a === 204 ? null : '{}', { status: a });
  }) as unknown as typeof fetch;
  return { fn, sent };
}

describe('adoptDisplayKey', () => {
  it('does nothing without a key in the fragment', async () => {
    const p = page('https://wall.example/wall.html?lang=en#scene=2');
    const f = fakeFetch([204]);
    expect(await adoptDisplayKey(p.location, p.history, f.fn)).toBe('none');
    expect(f.sent).toHaveLength(0);
    expect(p.calls).toHaveLength(0);
  });

  it('posts the key, then leaves no trace of it in the address', async () => {
    const p = page(`https://wall.example/wall.html?lang=en#key=${KEY}`);
    const f = fakeFetch([204]);
    expect(await adoptDisplayKey(p.location, p.history, f.fn)).toBe('adopted');
    expect(f.sent).toHaveLength(1);
    expect(f.sent[0]!.url).toBe('/api/wall/display-session');
    expect(f.sent[0]!.init.method).toBe('POST');
    expect(f.sent[0]!.init.credentials).toBe('same-origin');
    expect(JSON.parse(f.sent[0]!.init.body as string)).toEqual({ key: KEY });
    expect(p.calls).toEqual(['/wall.html?lang=en']);
    expect(p.url.href).toBe('https://wall.example/wall.html?lang=en');
    expect(p.url.href).not.toContain(KEY);
  });

  it('keeps the other fragment parameters', async () => {
    const p = page(`https://wall.example/wall.html#scene=city&key=${KEY}`);
    expect(await adoptDisplayKey(p.location, p.history, fakeFetch([204]).fn)).toBe('adopted');
    expect(p.calls).toEqual(['/wall.html#scene=city']);
  });

  it('says rejected for a revoked or garbled key, and removes it all the same', async () => {
    for (const status of [401, 400, 403]) {
      const p = page(`https://wall.example/wall.html#key=${KEY}`);
      const f = fakeFetch([status]);
      expect(await adoptDisplayKey(p.location, p.history, f.fn)).toBe('rejected');
      expect(f.sent).toHaveLength(1);
      expect(p.url.hash).toBe('');
    }
  });

  it('tries again while the server is down or failing, until it answers', async () => {
    const p = page(`https://wall.example/wall.html#key=${KEY}`);
    const f = fakeFetch(['down', 503, 429, 204]);
    const outcome = await adoptDisplayKey(p.location, p.history, f.fn, { retryDelaysMs: [1, 2] });
    expect(outcome).toBe('adopted');
    expect(f.sent).toHaveLength(4);
    // The key left the address before the first attempt, not after the last.
    expect(p.calls).toHaveLength(1);
    for (const s of f.sent) expect(JSON.parse(s.init.body as string)).toEqual({ key: KEY });
  });

  it('stops retrying when aborted', async () => {
    const p = page(`https://wall.example/wall.html#key=${KEY}`);
    const f = fakeFetch(['down']);
    const abort = new AbortController();
    const done = adoptDisplayKey(p.location, p.history, f.fn, {
      signal: abort.signal,
      retryDelaysMs: [60_000],
    });
    await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    expect(await done).toBe('rejected');
    expect(f.sent).toHaveLength(1);
  });
});

describe('displayKeyOf', () => {
  it('reads the key among other parameters, and nothing else', () => {
    expect(displayKeyOf(`#key=${KEY}`)).toBe(KEY);
    expect(displayKeyOf(`#a=1&key=${KEY}&b=2`)).toBe(KEY);
    expect(displayKeyOf('#key=')).toBeNull();
    expect(displayKeyOf('#monkey=1')).toBeNull();
    expect(displayKeyOf('')).toBeNull();
  });
});
