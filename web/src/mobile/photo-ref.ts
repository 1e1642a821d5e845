/**
 * The photo reference recorded with a report.
 *
 * There is no upload endpoint yet, so the photo itself stays on the phone and the ticket records
 * what identifies it later: file name, size and a short checksum of its bytes (the first 8 hex
 * digits of SHA-256, or of FNV-1a where SubtleCrypto is missing, i.e. outside secure contexts).
 * When uploads arrive, this is the place to send the file and record its URL instead.
 *
 * @example
 * await photoRef(file); // 'IMG_2041.jpg · 2.4 MB · sha256:9f86d081'
 */

/** At most what the API accepts for `photoRef`. */
export const PHOTO_REF_MAX = 500;

export async function photoRef(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const digest = await shortDigest(bytes);
  const name = file.name.length > 120 ? `…${file.name.slice(-119)}` : file.name || 'photo';
  return `${name} · ${formatSize(file.size)} · ${digest}`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function shortDigest(bytes: Uint8Array): Promise<string> {
  if (globalThis.crypto?.subtle) {
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
    return `sha256:${hex(hash.subarray(0, 4))}`;
  }
  return `fnv1a:${fnv1a(bytes).toString(16).padStart(8, '0')}`;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** 32-bit FNV-1a: not cryptographic, enough to tell two photos apart. */
export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
