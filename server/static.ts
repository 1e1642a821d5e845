/**
 * The built web app (`dist/`), served with the right type and cache rules, pre-compressed copies
 * (`.br`, `.gz`, written by the build) when the browser takes them, and the app shell for
 * client-side routes. Nothing outside the folder is ever served.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Context } from 'hono';
import { ApiError } from './errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.pmtiles': 'application/octet-stream',
  '.woff2': 'font/woff2',
};

/** Which pre-compressed copy to send, best first, given the request's Accept-Encoding. */
export function acceptedEncodings(header: string | undefined): ('br' | 'gzip')[] {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!, q ? Number(q.slice(2)) || 0 : 1);
  }
  return (['br', 'gzip'] as const).filter((e) => (accepted.get(e) ?? accepted.get('*') ?? 0) > 0);
}

/**
 * The file under `root` a URL path names, or null when it would leave the folder. Compares whole
 * path segments (`relative`), so a sibling folder whose name starts with the root's is outside.
 */
export function fileUnder(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    throw new ApiError(400, 'bad_request', 'The address holds a malformed percent-escape.');
  }
  if (path.includes('\0')) throw new ApiError(400, 'bad_request', 'The address holds a NUL.');
  const file = resolve(root, `.${path.startsWith('/') ? path : `/${path}`}`);
  const rel = relative(root, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

export function staticFiles(dir: string) {
  const root = resolve(dir);
  return async (c: Context) => {
    const urlPath = new URL(c.req.url).pathname;
    // The API and the standard interfaces answer their own unknown paths: never the app shell.
    if (/^\/(api|ogc|open311|tiles|basemap)(\/|$)/.test(urlPath)) return c.notFound();
    let file = fileUnder(root, urlPath === '/' ? '/index.html' : urlPath);
    if (!file) return c.notFound();
    if (!(await isFile(file))) {
      // Client-side routes fall back to the app shell; a missing file with an extension is a 404.
      if (extname(urlPath)) return c.notFound();
      file = join(root, 'index.html');
      if (!(await isFile(file))) return c.notFound();
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // Hashed assets never change; pages must be revalidated.
    const cacheControl = urlPath.startsWith('/assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    const headers: Record<string, string> = {
      'content-type': type,
      'cache-control': cacheControl,
      vary: 'Accept-Encoding',
    };
    for (const encoding of acceptedEncodings(c.req.header('accept-encoding'))) {
      const packed = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
      if (await isFile(packed)) {
        return c.body(await readFile(packed), 200, { ...headers, 'content-encoding': encoding });
      }
    }
    return c.body(await readFile(file), 200, headers);
  };
}
