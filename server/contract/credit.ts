/**
 * The credit tab's answers (/api/credit): property-company credit (物业信用评价), the monthly
 * 红黑榜 and the supervision cases (督办问责). The method they come from is geo/credit-method.ts.
 */
import { z } from '@hono/zod-openapi';
import { CREDIT_FACTOR_KEYS, CREDIT_GRADES } from '../../geo/credit-method.ts';
import { LonLat, Timestamp } from './common.ts';

export const CreditGrade = z.enum(CREDIT_GRADES);
export const CreditFactorKey = z.enum(CREDIT_FACTOR_KEYS);
/** A Beijing month as its first day. */
export const Period = z.string().openapi({ example: '2026-10-01' });

export const CreditFactor = z
  .object({
    key: CreditFactorKey,
    raw: z.number().nullable(),
    value: z.number(),
    city: z.number(),
    count: z.number(),
    n: z.number(),
    points: z.number(),
    weight: z.number(),
  })
  .openapi('CreditFactor');

export const CreditPeriods = z
  .object({
    computed: z.array(Period),
    published: z.array(Period),
    latest: Period.nullable(),
    districts: z.array(z.object({ id: z.number(), name: z.string() })),
  })
  .openapi('CreditPeriods');

export const CreditListEntry = z
  .object({
    list: z.enum(['red', 'black']),
    rank: z.number(),
    companyId: z.number(),
    name: z.string(),
    score: z.number(),
    grade: CreditGrade,
    compounds: z.number(),
    /** The evidence in figures; a company reads only its own. */
    factors: z.array(CreditFactor).nullable(),
    caseStatus: z.enum(['open', 'rectifying', 'closed']).nullable(),
  })
  .openapi('CreditListEntry');

export const CreditLists = z
  .object({
    period: Period,
    published: z.boolean(),
    district: z.object({ id: z.number(), name: z.string() }).nullable(),
    red: z.array(CreditListEntry),
    black: z.array(CreditListEntry),
  })
  .openapi('CreditLists');

export const CreditRankingRow = z
  .object({
    rank: z.number(),
    companyId: z.number(),
    name: z.string(),
    score: z.number(),
    grade: CreditGrade,
    compounds: z.number(),
    list: z.enum(['red', 'black']).nullable(),
    change: z.number().nullable(),
  })
  .openapi('CreditRankingRow');

export const CreditRanking = z
  .object({ period: Period, total: z.number(), items: z.array(CreditRankingRow) })
  .openapi('CreditRanking');

export const SupervisionCase = z
  .object({
    id: z.number(),
    code: z.string(),
    companyId: z.number(),
    companyName: z.string(),
    period: Period,
    districtId: z.number().nullable(),
    districtName: z.string().nullable(),
    departmentId: z.number(),
    departmentName: z.string(),
    reason: z.string(),
    status: z.enum(['open', 'rectifying', 'closed']),
    openedAt: Timestamp,
    dueOn: z.string(),
    closedAt: Timestamp.nullable(),
    outcome: z.string().nullable(),
    accountability: z.string().nullable(),
    overdue: z.boolean(),
  })
  .openapi('SupervisionCase');

export const SupervisionCaseList = z
  .object({ total: z.number(), items: z.array(SupervisionCase) })
  .openapi('SupervisionCaseList');

export const CreditCompound = z.object({
  id: z.number(),
  name: z.string(),
  households: z.number(),
  districtId: z.number(),
  communityId: z.number(),
  label: LonLat,
  color: z.enum(['red', 'yellow', 'blue']).nullable(),
});

export const CreditCompany = z
  .object({
    id: z.number(),
    name: z.string(),
    trustModel: z.boolean(),
    period: Period,
    credit: z
      .object({
        score: z.number(),
        grade: CreditGrade,
        compounds: z.number(),
        rank: z.number(),
        of: z.number(),
        factors: z.array(CreditFactor),
      })
      .nullable(),
    trend: z.array(z.object({ period: Period, score: z.number(), grade: CreditGrade })),
    lists: z.array(
      z.object({
        district: z.number().nullable(),
        districtName: z.string().nullable(),
        list: z.enum(['red', 'black']),
        rank: z.number(),
      }),
    ),
    compounds: z.array(CreditCompound),
    cases: z.array(SupervisionCase),
    /** What the reader may do with the company's supervision. */
    can: z.object({ openCase: z.boolean(), manageCases: z.array(z.number()) }),
  })
  .openapi('CreditCompany');

export const CreditEvidenceItem = z.object({
  id: z.number(),
  code: z.string(),
  title: z.string(),
  kind: z.string(),
  status: z.string(),
  at: Timestamp,
  dueAt: Timestamp.nullable(),
  doneAt: Timestamp.nullable(),
  value: z.number().nullable(),
  bad: z.boolean(),
  compoundId: z.number().nullable(),
  compoundName: z.string().nullable(),
});

export const CreditEvidence = z
  .object({
    companyId: z.number(),
    period: Period,
    factor: CreditFactorKey,
    /** The records' noun: tickets open in the ticket detail, whistles and hazards in theirs. */
    noun: z.enum(['tickets', 'whistles', 'hazards', 'ledgers']),
    total: z.number(),
    bad: z.number(),
    /** How many of them this reader may open (its read rule on the noun). */
    visible: z.number(),
    items: z.array(CreditEvidenceItem),
  })
  .openapi('CreditEvidence');

export const CreditMap = z
  .object({
    period: Period.nullable(),
    companies: z.object({
      ids: z.array(z.number()),
      names: z.array(z.string()),
      scores: z.array(z.number()),
      grades: z.array(CreditGrade),
    }),
    compounds: z.object({
      ids: z.array(z.number()),
      company: z.array(z.number()),
      lon: z.array(z.number()),
      lat: z.array(z.number()),
    }),
  })
  .openapi('CreditMap');

export const CreditRecompute = z
  .object({ period: Period, companies: z.number(), published: z.boolean() })
  .openapi('CreditRecompute');

export const CreditPublish = z
  .object({ period: Period, red: z.number(), black: z.number() })
  .openapi('CreditPublish');

export type CreditFactorT = z.infer<typeof CreditFactor>;
export type CreditPeriodsT = z.infer<typeof CreditPeriods>;
export type CreditListsT = z.infer<typeof CreditLists>;
export type CreditListEntryT = z.infer<typeof CreditListEntry>;
export type CreditRankingT = z.infer<typeof CreditRanking>;
export type CreditCompanyT = z.infer<typeof CreditCompany>;
export type CreditEvidenceT = z.infer<typeof CreditEvidence>;
export type CreditMapT = z.infer<typeof CreditMap>;
export type SupervisionCaseT = z.infer<typeof SupervisionCase>;
