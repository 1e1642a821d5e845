/**
 * The local PMTiles basemap (`BASEMAP_PMTILES`): served by the app with HTTP range requests, which
 * is all the `pmtiles` protocol in the browser needs (it reads the header, the directories and
 * each tile as byte ranges of the one file). The file's path comes from the configuration only;
 * a request names it by its public name and can never reach another file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';

/** The URL name of the configured file: its base name, reduced to safe characters. */
export function basemapName(path: string): string {
  const base = basename(path).replace(/\.pmtiles$/i, '');
  return base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'basemap';
}

/** Where the web finds the basemap, or null without one. */
export function basemapUrl(path: string | undefined): string | null {
  return path ? `/tiles/basemap/${basemapName(path)}.pmtiles` : null;
}

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/**
 * One `Range: bytes=…` header against a file of `size` bytes: the inclusive range to send, null
 * to send the whole file (no header, another unit, several ranges: a server may ignore them), or
 * 'unsatisfiable' (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || (b !== '' && Number(b) < start)) return 'unsatisfiable';
  return { start, end };
}

export interface BasemapFile {
  size: number;
  etag: string;
  lastModified: string;
  open: (start: number, end: number) => ReadableStream<Uint8Array>;
}

/** The configured file's size and validators; a fresh stat each time, so a replaced file shows. */
export async function basemapFile(path: string): Promise<BasemapFile | null> {
  const s = await stat(path).catch(() => null);
  if (!s || !s.isFile()) return null;
  return {
    size: s.size,
    // Size and modification time: a replaced file gets a new tag, so If-Range refuses to mix
    // ranges of the old and the new one.
    etag: `"${s.size.toString(36)}-${Math.floor(s.mtimeMs).toString(36)}"`,
    lastModified: s.mtime.toUTCString(),
    open: (start, end) =>
      Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>,
  };
}
