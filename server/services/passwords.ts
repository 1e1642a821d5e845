import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

// OWASP's scrypt minimum (N=2^17, r=8, p=1) costs ~0.25 s on this class of machine; 2^15 keeps a
// sign-in near 60 ms while staying far beyond brute force for the hashes' lifetime.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

/**
 * A stored hash of a password nobody has, with the same cost as real ones: verifying against it
 * takes as long as against a real account, so an unknown username answers in the same time.
 */
export const UNUSABLE_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** `scrypt$N$r$p$salt$hash` (base64url), self-describing so the cost can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 256 * N * R });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * Number(n) * Number(r),
  });
  return timingSafeEqual(key, expected);
}

/** Thrown by {@link HashingGate.run} when the queue is full: the caller should answer 429. */
export class HashingBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('password hashing queue is full');
  }
}

/**
 * Bounds how many password hashes run at once and how many wait. scrypt runs in libuv's thread
 * pool (4 threads by default), which file reads, DNS and zlib share: 40 sign-ins at once would
 * hold every thread for seconds and stall the web page's own file reads. Two in flight leave the
 * other threads free and still keep two cores busy; beyond the queue, refusing at once is kinder
 * than a sign-in that waits for ever.
 */
export class HashingGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Recent hash durations (ms), to tell a refused client how long the queue takes to drain. */
  private averageMs = 100;

  constructor(
    readonly concurrency = 2,
    readonly queueLimit = 32,
  ) {}

  get pending() {
    return this.running + this.waiting.length;
  }

  /** Throws {@link HashingBusy} when `run` would: a caller may refuse before doing other work. */
  checkRoom(): void {
    if (this.running >= this.concurrency && this.waiting.length >= this.queueLimit) {
      const drainMs = ((this.waiting.length + 1) * this.averageMs) / this.concurrency;
      throw new HashingBusy(Math.max(1, Math.ceil(drainMs / 1000)));
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      this.checkRoom();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.averageMs = this.averageMs * 0.8 + (performance.now() - t0) * 0.2;
      // Hand the slot straight to the next in line, so a newcomer cannot overtake the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** One gate per process: the thread pool it protects is per process too. */
export const passwordHashing = new HashingGate();
