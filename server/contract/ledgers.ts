/** 信托制物业: trust-property ledgers, their disclosure and anomaly flags. Amounts are integer fen. */
import { z } from '@hono/zod-openapi';
import {
  CSV_ERROR_CODES,
  DISCLOSURE_STATUSES,
  FLAG_RULES,
  LEDGER_CATEGORY_KEYS,
} from '../../geo/ledgers.ts';
import { AreaLevel, Timestamp } from './common.ts';

const Month = z.string().openapi({ format: 'date', example: '2026-10-01' });
const Day = z.string().openapi({ format: 'date', example: '2026-11-15' });
const Fen = z.number().int().openapi({ description: 'fen (分); 100 fen = 1 元' });
const Share = z.number().nullable();
const PlaceRef = z.object({ id: z.number(), name: z.string(), level: AreaLevel });

export const LedgerCategoryKey = z.enum(LEDGER_CATEGORY_KEYS as [string, ...string[]]);
export const DisclosureStatus = z.enum(DISCLOSURE_STATUSES as [string, ...string[]]);

export const LedgerFlag = z
  .object({
    rule: z.enum(FLAG_RULES),
    category: LedgerCategoryKey.optional(),
    value: z.number().optional(),
    reference: z.number().optional(),
    months: z.array(Month).optional(),
    days: z.number().optional(),
    reason: z.string(),
  })
  .openapi('LedgerFlag');

export const LedgerCategories = z
  .object({
    categories: z.array(
      z.object({
        key: LedgerCategoryKey,
        section: z.enum(['billed', 'fee', 'common', 'spending']),
        zh: z.string(),
        en: z.string(),
      }),
    ),
    dueDay: z.number(),
  })
  .openapi('LedgerCategories');

const Counts = z.object({
  compounds: z.number(),
  onTime: z.number(),
  late: z.number(),
  missing: z.number(),
  pending: z.number(),
  flagged: z.number(),
  onTimeShare: Share,
  publishedShare: Share,
});

export const DisclosureSummary = z
  .object({
    period: Month,
    dueOn: Day,
    area: PlaceRef.nullable(),
    totals: Counts,
    children: z.array(Counts.extend({ id: z.number(), name: z.string(), level: AreaLevel })),
  })
  .openapi('DisclosureSummary');

export const DisclosureMap = z
  .object({
    type: z.literal('FeatureCollection'),
    period: Month,
    dueOn: Day,
    area: PlaceRef.nullable(),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.number(),
        geometry: z.any(),
        properties: Counts.extend({
          id: z.number(),
          name: z.string(),
          level: AreaLevel,
          labelPoint: z.tuple([z.number(), z.number()]),
        }),
      }),
    ),
    /** The managed compounds under the area, as columns (status per compound). */
    compounds: z.object({
      ids: z.array(z.number()),
      names: z.array(z.string()),
      lon: z.array(z.number()),
      lat: z.array(z.number()),
      status: z.array(DisclosureStatus),
      flags: z.array(z.number()),
    }),
  })
  .openapi('DisclosureMap');

export const FlaggedLedgers = z
  .object({
    period: Month,
    total: z.number(),
    limit: z.number(),
    offset: z.number(),
    items: z.array(
      z.object({
        id: z.number(),
        compoundId: z.number(),
        compoundName: z.string(),
        companyId: z.number(),
        companyName: z.string(),
        period: Month,
        status: z.enum(['draft', 'published']),
        revision: z.number(),
        flags: z.array(LedgerFlag),
      }),
    ),
  })
  .openapi('FlaggedLedgers');

const CompoundRef = z.object({
  id: z.number(),
  name: z.string(),
  households: z.number(),
  companyId: z.number().nullable(),
  companyName: z.string().nullable(),
});

export const CompoundLedgerMonths = z
  .object({
    compound: CompoundRef,
    canPublish: z.boolean(),
    months: z.array(
      z.object({
        period: Month,
        dueOn: Day,
        status: DisclosureStatus.nullable(),
        firstPublishedAt: Timestamp.nullable(),
        published: z
          .object({
            id: z.number(),
            revision: z.number(),
            billed: Fen,
            collected: Fen,
            common: Fen,
            spending: Fen,
            carried: Fen,
            income: Fen,
            closing: Fen,
            collectionRate: Share,
            flags: z.array(LedgerFlag),
            publishedAt: Timestamp,
          })
          .nullable(),
        draft: z
          .object({
            id: z.number(),
            revision: z.number(),
            spending: Fen,
            updatedAt: Timestamp,
            flags: z.array(LedgerFlag),
          })
          .nullable(),
      }),
    ),
  })
  .openapi('CompoundLedgerMonths');

const RevisionHead = z.object({
  id: z.number(),
  compoundId: z.number(),
  compoundName: z.string(),
  companyId: z.number(),
  companyName: z.string(),
  period: Month,
  revision: z.number(),
  status: z.enum(['draft', 'published', 'superseded']),
  reason: z.string().nullable(),
  carried: Fen,
  billed: Fen,
  collected: Fen,
  common: Fen,
  spending: Fen,
  flags: z.array(LedgerFlag),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: Timestamp.nullable(),
});

export const Ledger = RevisionHead.extend({
  dueOn: Day,
  lines: z.array(
    z.object({
      lineNo: z.number(),
      category: LedgerCategoryKey,
      counterpart: z.string(),
      amount: Fen,
      occurredOn: Day,
      note: z.string().nullable(),
    }),
  ),
  totals: z.object({
    billed: Fen,
    collected: Fen,
    collectionRate: Share,
    common: Fen,
    income: Fen,
    spending: Fen,
    carried: Fen,
    closing: Fen,
    byCategory: z.array(
      z.object({
        category: LedgerCategoryKey,
        section: z.enum(['billed', 'fee', 'common', 'spending']),
        amount: Fen,
      }),
    ),
  }),
}).openapi('Ledger');

export const CompoundLedgerMonth = z
  .object({
    compound: CompoundRef,
    period: Month,
    dueOn: Day,
    status: DisclosureStatus.nullable(),
    canPublish: z.boolean(),
    published: Ledger.nullable(),
    draft: Ledger.nullable(),
    revisions: z.array(RevisionHead),
  })
  .openapi('CompoundLedgerMonth');

export const LedgerDiscarded = z
  .object({ id: z.number(), discarded: z.literal(true) })
  .openapi('LedgerDiscarded');

export const CsvRowErrors = z
  .object({
    error: z.object({
      code: z.literal('bad_request'),
      message: z.string(),
      field: z.literal('csv'),
      reason: z.literal('ledger_rows_invalid'),
      rows: z.array(
        z.object({
          row: z.number().openapi({ description: "the file's line (the header is line 1)" }),
          column: z.enum(['category', 'counterpart', 'amount', 'date', 'note']).nullable(),
          code: z.enum(CSV_ERROR_CODES),
          value: z.string().optional(),
          reason: z.string().openapi({ description: 'in English; the code says it for a UI' }),
        }),
      ),
    }),
  })
  .openapi('LedgerCsvErrors');

export const CompanyDisclosureRecord = z
  .object({
    company: z.object({ id: z.number(), name: z.string() }),
    from: Month,
    to: Month,
    totals: z.object({
      due: z.number(),
      onTime: z.number(),
      late: z.number(),
      missing: z.number(),
      flagged: z.number(),
      onTimeShare: Share,
    }),
    months: z.array(
      z.object({
        period: Month,
        compounds: z.number(),
        onTime: z.number(),
        late: z.number(),
        missing: z.number(),
        pending: z.number(),
        flagged: z.number(),
      }),
    ),
  })
  .openapi('CompanyDisclosureRecord');

export type DisclosureSummary = z.infer<typeof DisclosureSummary>;
export type DisclosureMap = z.infer<typeof DisclosureMap>;
export type FlaggedLedgers = z.infer<typeof FlaggedLedgers>;
export type CompoundLedgerMonths = z.infer<typeof CompoundLedgerMonths>;
export type CompoundLedgerMonth = z.infer<typeof CompoundLedgerMonth>;
export type Ledger = z.infer<typeof Ledger>;
export type LedgerFlag = z.infer<typeof LedgerFlag>;
export type CompanyDisclosureRecord = z.infer<typeof CompanyDisclosureRecord>;
export type LedgerCategories = z.infer<typeof LedgerCategories>;
