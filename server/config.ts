import { resolve } from 'node:path';
import { z } from 'zod';

/** Settings read once from the environment, validated, and frozen. */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** When set, the app runs on this PostgreSQL + PostGIS server instead of the embedded PGlite. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder of the embedded PGlite database. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Seed scale and seed used when the database is empty on first start. */
  SEED_SCALE: z.enum(['demo', 'city', 'stress']).default('demo'),
  SEED: z.coerce.number().int().default(20261126),
  /**
   * Optional basemap: a MapLibre style URL (Tianditu, self-hosted) or a PMTiles file URL.
   * Without it the map draws a basemap from the project's own data, so nothing leaves the machine.
   */
  BASEMAP_STYLE_URL: z.string().url().optional(),
  /**
   * Optional basemap: a local .pmtiles file, served by the app at /tiles/basemap/<name>.pmtiles
   * with range requests and drawn by every map (desktop, mobile, wall) under the district outlines.
   */
  BASEMAP_PMTILES: z.string().min(1).optional(),
  /**
   * Behind a TLS-terminating proxy (nginx, a government gateway): believe its X-Forwarded-Proto
   * and X-Forwarded-For, so session cookies are Secure and limits count the real client.
   */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

export type Config = Readonly<z.infer<typeof schema>>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  return Object.freeze({
    ...parsed.data,
    DATA_DIR: resolve(parsed.data.DATA_DIR),
    BASEMAP_PMTILES: parsed.data.BASEMAP_PMTILES && resolve(parsed.data.BASEMAP_PMTILES),
  });
}
