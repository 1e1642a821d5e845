/** The command-center wall's city figures (指挥大屏): aggregates and compound names only. */
import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.ts';

const Figures = z.object({
  received: z.number(),
  open: z.number(),
  overdue: z.number(),
  /** Closed on time ÷ closed, over the last 30 days; null when none closed. */
  onTimeRate: z.number().nullable(),
  /** Mean 1–5 rating over the last 30 days. */
  satisfaction: z.number().nullable(),
});

export const WallSummary = z
  .object({
    asOf: Timestamp,
    /** Today in Beijing, `YYYY-MM-DD`. */
    today: z.string(),
    received: z.object({
      today: z.number(),
      /** Received on the same weekday over the previous four weeks, on average. */
      sameWeekdayAverage: z.number(),
      /** The last 30 Beijing days, oldest first, today last. */
      sparkline: z.array(z.object({ day: z.string(), count: z.number() })),
    }),
    /** `received`, `onTimeRate` and `satisfaction` over the last 30 days; open and overdue now. */
    city: Figures,
    whistles: z.object({
      open: z.number(),
      awaitingReport: z.number(),
      lateReportIns: z.number(),
      overdue: z.number(),
    }),
    hazards: z.object({
      bySeverity: z.object({
        low: z.number(),
        medium: z.number(),
        high: z.number(),
        critical: z.number(),
      }),
      overdue: z.number(),
    }),
    /** Districts, most overdue first. */
    districts: z.array(Figures.extend({ id: z.number(), name: z.string() })),
    ratings: z.object({
      red: z.number(),
      yellow: z.number(),
      blue: z.number(),
      period: z.string().nullable(),
      redList: z.array(
        z.object({ id: z.number(), name: z.string(), district: z.string(), score: z.number() }),
      ),
    }),
  })
  .openapi('WallSummary');
export type WallSummary = z.infer<typeof WallSummary>;
