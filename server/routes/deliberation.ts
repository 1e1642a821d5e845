import { createRoute, z } from '@hono/zod-openapi';
import {
  EVIDENCE_DAYS,
  PROJECT_STATUSES,
  PROPOSAL_STAGES,
  RESOURCE_KINDS,
  TOPIC_KEYS,
  type ResourceKind,
  type Topic,
} from '../../geo/deliberation.ts';
import { TICKET_CATEGORIES } from '../../geo/vocabulary.ts';
import {
  EvidenceList,
  JointMeeting,
  JointMeetingList,
  Need,
  NeedList,
  ProjectDetail,
  ProjectList,
  Proposal,
  ProposalDetail,
  ProposalList,
  ProposalMap,
  Resource,
  ResourceList,
} from '../contract/deliberation.ts';
import type { Db } from '../db/client.ts';
import type { Actor } from '../policy.ts';
import * as d from '../services/deliberation.ts';
import { Generations, type ReadCache } from '../services/read-cache.ts';
import {
  booleanParam,
  dayParam,
  idField,
  idParam,
  limitParam,
  offsetParam,
  textField,
} from '../validation.ts';
import {
  errorResponses,
  idParams,
  json,
  jsonBody,
  queryDoc,
  router,
  unchecked,
} from './openapi.ts';
import { exportFormat, exportLang, fileContent } from './exports.ts';
import { areaName, col, sendListFile } from './list-files.ts';

const oneOf = (xs: readonly string[]) => `must be one of ${xs.join(', ')}`;
const CATEGORY_KEYS = TICKET_CATEGORIES.map((c) => c.key) as [string, ...string[]];
const topicField = z.enum(TOPIC_KEYS as [Topic, ...Topic[]], { message: oneOf(TOPIC_KEYS) });
const categoryField = z.enum(CATEGORY_KEYS, { message: oneOf(CATEGORY_KEYS) });
const areaQuery = idParam.optional().openapi(queryDoc('area'));
const phoneField = z
  .string({ message: 'must be a phone number of 7 to 15 digits' })
  .trim()
  .regex(/^\+?\d{7,15}$/, 'must be a phone number of 7 to 15 digits');
const daysField = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a whole number of days from 7 to 365' })
    .int('must be a whole number of days from 7 to 365')
    .min(7, 'must be a whole number of days from 7 to 365')
    .max(365, 'must be a whole number of days from 7 to 365')
    .default(fallback);
const amountField = z
  .number({ message: 'must be a positive number' })
  .positive('must be a positive number')
  .max(1e11, 'must be at most 100000000000');
const STAGE_FILTER = [...PROPOSAL_STAGES, 'open'] as const;

// The lists as files: the columns the panels show (a public reader's rows lack the proposer's).
const PROPOSAL_COLUMNS = [
  col('编号', 'ID', 'id'),
  col('小区', 'Compound', 'compoundName'),
  col('议题', 'Topic', 'topic'),
  col('类别', 'Category', 'category', 'category'),
  col('标题', 'Title', 'title'),
  col('阶段', 'Stage', 'stage'),
  col('提交时间', 'Submitted', 'submittedAt', 'time'),
  col('来源', 'Source', 'source'),
  col('建议人', 'Proposer', 'proposerName'),
  col('建议人电话', 'Proposer phone', 'proposerPhone'),
  col('办理期限', 'Due', 'dueOn'),
  col('逾期', 'Overdue', 'overdue', 'yesNo'),
  col('联席决定', 'Decision', 'decision'),
  col('责任方', 'Action owner', 'actionOwner'),
  col('结果', 'Result', 'result'),
  col('公开日期', 'Published on', 'publishedOn'),
];
const MEETING_COLUMNS = [
  col('编号', 'ID', 'id'),
  col('社区', 'Community', 'communityName'),
  col('时间', 'Held at', 'heldAt', 'time'),
  col('地点', 'Place', 'place'),
  col('参会人数', 'Attendees', 'attendees', 'count'),
  col('商议的建议', 'Proposals decided', 'proposals', 'names'),
  col('纪要', 'Minutes', 'minutes'),
];
const NEED_COLUMNS = [
  col('编号', 'ID', 'id'),
  col('小区', 'Compound', 'compoundName'),
  col('议题', 'Topic', 'topic'),
  col('类别', 'Category', 'category', 'category'),
  col('需求', 'Need', 'title'),
  col('来源', 'Source', 'source'),
  col('建议编号', 'Proposal ID', 'proposalId'),
  col('状态', 'Status', 'status'),
  col('项目数', 'Projects', 'projects'),
  col('登记时间', 'Created', 'createdAt', 'time'),
];
const RESOURCE_COLUMNS = [
  col('编号', 'ID', 'id'),
  col('区域', 'Area', 'areaName'),
  col('层级', 'Level', 'areaLevel'),
  col('类型', 'Kind', 'kind'),
  col('名称', 'Name', 'name'),
  col('提供方', 'Provider', 'provider'),
  col('总量', 'Capacity', 'capacity'),
  col('单位', 'Unit', 'unit'),
  col('已用', 'Used', 'used'),
  col('剩余', 'Left', 'left'),
  col('匹配次数', 'Matches', 'matches'),
  col('登记时间', 'Created', 'createdAt', 'time'),
];
const PROJECT_COLUMNS = [
  col('编号', 'ID', 'id'),
  col('项目', 'Project', 'title'),
  col('需求', 'Need', 'needTitle'),
  col('小区', 'Compound', 'compoundName'),
  col('类别', 'Category', 'category', 'category'),
  col('责任方', 'Owner', 'owner'),
  col('预算', 'Budget', 'budget'),
  col('状态', 'Status', 'status'),
  col('开始日期', 'Started on', 'startedOn'),
  col('截止日期', 'Due on', 'dueOn'),
  col('完成日期', 'Completed on', 'completedOn'),
  col('逾期', 'Overdue', 'overdue', 'yesNo'),
  col('匹配资源', 'Resources', 'resources', 'names'),
  col('里程碑数', 'Milestones', 'milestones', 'count'),
];

const SubmitBody = z
  .object({
    compoundId: idField,
    topic: topicField,
    title: textField(2, 80),
    body: textField(0, 2000).optional(),
    source: z.enum(['owner', 'resident'], { message: 'must be owner or resident' }),
    proposerName: textField(1, 20),
    proposerPhone: phoneField.optional(),
  })
  .strict();
const EvidenceBody = z
  .object({
    compoundId: idField,
    category: categoryField,
    days: daysField(EVIDENCE_DAYS),
    kind: z
      .enum(['tickets', 'hotspot'], { message: 'must be tickets or hotspot' })
      .default('tickets'),
    title: textField(2, 80).optional(),
    hotspot: z
      .object({
        cell: textField(1, 20),
        res: z.number().int().min(0).max(15),
        z: z.number().optional(),
        classification: textField(1, 40).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const NoteBody = z.object({ note: textField(0, 500).optional() }).strict();
const ReasonBody = z.object({ reason: textField(2, 500) }).strict();
const ResubmitBody = z.object({ addition: textField(2, 2000) }).strict();
const PublishBody = z
  .object({ result: textField(2, 2000), publishedOn: dayParam.optional() })
  .strict();
const MeetingBody = z
  .object({
    heldAt: z
      .string({ message: 'must be a date-time' })
      .datetime({ offset: true, message: 'must be a date-time like 2026-11-26T09:30:00+08:00' }),
    place: textField(1, 120),
    attendees: z
      .array(
        z
          .object({
            side: z.enum(['party', 'committee', 'company', 'department', 'other'], {
              message: 'must be one of party, committee, company, department, other',
            }),
            name: textField(1, 40),
            unit: textField(1, 80).optional(),
          })
          .strict(),
        { message: 'must be a list of attendees' },
      )
      .min(2, 'must list at least two attendees')
      .max(60, 'must list at most 60 attendees'),
    minutes: textField(2, 5000),
    decisions: z
      .array(
        z
          .object({
            proposalId: idField,
            decision: textField(2, 1000),
            actionOwner: textField(1, 80),
            dueOn: dayParam,
          })
          .strict(),
        { message: 'must be a list of decisions' },
      )
      .min(1, 'must decide at least one proposal')
      .max(30, 'must decide at most 30 proposals'),
  })
  .strict();
const NeedBody = z
  .object({
    proposalId: idField.optional(),
    compoundId: idField.optional(),
    category: categoryField.optional(),
    topic: topicField.optional(),
    title: textField(2, 80).optional(),
    days: daysField(90).optional(),
  })
  .strict();
const ResourceBody = z
  .object({
    areaId: idField,
    kind: z.enum(RESOURCE_KINDS as [ResourceKind, ...ResourceKind[]], {
      message: oneOf(RESOURCE_KINDS),
    }),
    name: textField(2, 80),
    provider: textField(1, 80),
    capacity: amountField,
  })
  .strict();
const ProjectBody = z
  .object({
    needId: idField,
    title: textField(2, 80),
    owner: textField(1, 80),
    budget: z
      .number({ message: 'must be a number from 0' })
      .min(0, 'must be a number from 0')
      .max(1e11),
    startedOn: dayParam,
    dueOn: dayParam,
    milestones: z
      .array(z.object({ title: textField(1, 80), dueOn: dayParam }).strict())
      .max(20, 'must list at most 20 milestones')
      .default([]),
  })
  .strict();
const MatchBody = z.object({ resourceId: idField, amount: amountField }).strict();
const StatusBody = z
  .object({
    status: z.enum(PROJECT_STATUSES, { message: oneOf(PROJECT_STATUSES) }),
    on: dayParam.optional(),
  })
  .strict();
const DoneBody = z.object({ on: dayParam.optional() }).strict();

/**
 * 四方联席会议 and the three lists (/api/deliberation): proposals through their flow (业主建议 →
 * 党组织审议 → 联席商议 → 结果公开), map evidence turned into proposals, the joint meetings, the
 * needs, resources and projects with matching, and the proposal map (public: published results).
 */
export function deliberationRoutes(db: Db, cache: ReadCache) {
  // Proposals, meetings and lists change only through this router: a write makes every read of
  // it fresh in this process (others within the cache's 30 s).
  const reads = new Generations(cache, 'deliberation');
  const changed = <T>(value: T) => reads.changed(value);
  const cached = <T>(key: string, load: () => Promise<T>) => reads.get(key, load);
  // What a reader sees depends on its role and scope (masking, next steps), not on the account.
  const who = (actor: Actor | null) =>
    actor ? `${actor.role}:${actor.scope.kind}:${actor.scope.id}` : 'public';
  const step = <S extends z.ZodType>(path: `/proposals/{id}/${string}`, summary: string, body: S) =>
    createRoute({
      method: 'post',
      path,
      summary,
      request: { params: idParams, body: jsonBody(body) },
      responses: {
        200: { description: 'The proposal after the step', content: json(unchecked(Proposal)) },
        ...errorResponses,
      },
    });

  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/proposals',
        summary:
          'Proposals of an area, overdue first, with counts by stage (public and readers without deliberation.read: published results only)',
        request: {
          query: z.object({
            area: areaQuery,
            compound: idParam.optional().openapi(queryDoc('compound')),
            stage: z
              .enum(STAGE_FILTER, { message: oneOf(STAGE_FILTER) })
              .optional()
              .openapi(queryDoc('stage')),
            topic: topicField.optional().openapi(queryDoc('topic')),
            category: categoryField.optional().openapi(queryDoc('category')),
            overdue: booleanParam.optional().openapi(queryDoc('overdue')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every row of the list as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of proposals',
            content: { ...json(unchecked(ProposalList)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json')
          return sendListFile(c, db, {
            format,
            lang,
            what: areaName('deliberation-proposals', f.area),
            read: (offset, limit) => d.listProposals(db, actor, { ...f, offset, limit }),
            columns: PROPOSAL_COLUMNS,
            position: (r) => (r as { position?: [number, number] }).position,
            place: (r) => r.compoundId,
            id: (r) => r.id,
          });
        return c.json(
          await cached(`list:${who(actor)}:${JSON.stringify(f)}`, () =>
            d.listProposals(db, actor, f),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/proposals/{id}',
        summary:
          'A proposal with its timeline of steps, meeting, evidence tickets (by the ticket read rule) and needs; the public: a published result',
        request: { params: idParams },
        responses: {
          200: { description: 'The proposal', content: json(unchecked(ProposalDetail)) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const actor = c.get('actor');
        const id = c.req.valid('param').id;
        return c.json(
          await cached(`one:${who(actor)}:${id}`, () => d.proposal(db, actor, id)),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/proposals',
        summary:
          "业主建议: record an owner's or resident's proposal for a compound (deliberation.propose)",
        request: { body: jsonBody(SubmitBody) },
        responses: {
          201: { description: 'The proposal, submitted', content: json(unchecked(Proposal)) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(changed(await d.submit(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/proposals/from-evidence',
        summary:
          "Map evidence → proposal: a compound's tickets of one category (a ticket cluster or the planner's hotspot) as the evidence snapshot (deliberation.propose)",
        request: { body: jsonBody(EvidenceBody) },
        responses: {
          201: {
            description: 'The proposal, submitted with its evidence',
            content: json(unchecked(Proposal)),
          },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await d.fromEvidence(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      step(
        '/proposals/{id}/accept',
        '党组织审议: accept to the joint meeting (deliberation.manage)',
        NoteBody,
      ),
      async (c) =>
        c.json(
          changed(
            await d.accept(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json').note),
          ),
          200,
        ),
    )
    .openapi(
      step(
        '/proposals/{id}/return',
        '党组织审议: return for more information, with what is missing (deliberation.manage)',
        ReasonBody,
      ),
      async (c) =>
        c.json(
          changed(
            await d.returnProposal(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json').reason,
            ),
          ),
          200,
        ),
    )
    .openapi(
      step(
        '/proposals/{id}/reject',
        '党组织审议: reject, with the reason (deliberation.manage)',
        ReasonBody,
      ),
      async (c) =>
        c.json(
          changed(
            await d.reject(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json').reason),
          ),
          200,
        ),
    )
    .openapi(
      step(
        '/proposals/{id}/resubmit',
        'A returned proposal resubmitted with the information asked for (deliberation.propose)',
        ResubmitBody,
      ),
      async (c) =>
        c.json(
          changed(
            await d.resubmit(
              db,
              c.get('actor'),
              c.req.valid('param').id,
              c.req.valid('json').addition,
            ),
          ),
          200,
        ),
    )
    .openapi(
      step(
        '/proposals/{id}/publish',
        '结果公开: publish the result (deliberation.manage); public from then on',
        PublishBody,
      ),
      async (c) =>
        c.json(
          changed(
            await d.publish(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json')),
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/map',
        summary:
          'Proposals by stage per compound (zoom ≥ 13) or per subdistrict, with the newest (public: published results)',
        request: {
          query: z.object({
            area: areaQuery,
            zoom: z.coerce
              .number({ message: 'must be a number from 0 to 22' })
              .min(0, 'must be a number from 0 to 22')
              .max(22, 'must be a number from 0 to 22')
              .default(12)
              .openapi(queryDoc('zoom')),
          }),
        },
        responses: {
          200: {
            description: 'One point per compound or subdistrict',
            content: json(unchecked(ProposalMap)),
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const f = c.req.valid('query');
        const actor = c.get('actor');
        const z0 = f.zoom >= 13 ? 13 : 12;
        return c.json(
          await cached(`map:${who(actor)}:${f.area ?? ''}:${z0}`, () =>
            d.map(db, actor, { area: f.area, zoom: z0 }),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/evidence',
        summary:
          'Ticket clusters (≥ 5 tickets of one category in a compound within the days) that could become proposals (deliberation.propose)',
        request: {
          query: z.object({
            area: areaQuery,
            category: categoryField.optional().openapi(queryDoc('category')),
            days: daysField(EVIDENCE_DAYS).openapi(queryDoc('days')),
            min: z.coerce
              .number({ message: 'must be a whole number from 5 to 1000' })
              .int('must be a whole number from 5 to 1000')
              .min(5, 'must be a whole number from 5 to 1000')
              .max(1000, 'must be a whole number from 5 to 1000')
              .default(5)
              .openapi(queryDoc('min')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
          }),
        },
        responses: {
          200: { description: 'Clusters, largest first', content: json(unchecked(EvidenceList)) },
          ...errorResponses,
        },
      }),
      // Tickets change outside this router: the clusters are read fresh.
      async (c) => c.json(await d.evidence(db, c.get('actor'), c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/meetings',
        summary:
          'Joint meetings (四方联席会议) of an area, newest first, with the proposals each decided',
        request: {
          query: z.object({
            area: areaQuery,
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every row of the list as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of meetings',
            content: { ...json(unchecked(JointMeetingList)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json')
          return sendListFile(c, db, {
            format,
            lang,
            what: areaName('deliberation-meetings', f.area),
            read: (offset, limit) => d.meetings(db, actor, { ...f, offset, limit }),
            columns: MEETING_COLUMNS,
            place: (r) => r.communityId,
            id: (r) => r.id,
          });
        return c.json(
          await cached(`meetings:${who(actor)}:${JSON.stringify(f)}`, () =>
            d.meetings(db, actor, f),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/meetings',
        summary:
          '联席商议: a joint meeting (1+3+N) deciding accepted proposals of one community (deliberation.manage)',
        request: { body: jsonBody(MeetingBody) },
        responses: {
          201: {
            description: 'The meeting with the proposals it decided',
            content: json(unchecked(JointMeeting)),
          },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await d.holdMeeting(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/needs',
        summary: '需求清单 of an area, open first',
        request: {
          query: z.object({
            area: areaQuery,
            status: z
              .enum(['open', 'matched', 'done', 'closed'], {
                message: 'must be one of open, matched, done, closed',
              })
              .optional()
              .openapi(queryDoc('status')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every row of the list as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of needs',
            content: { ...json(unchecked(NeedList)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json')
          return sendListFile(c, db, {
            format,
            lang,
            what: areaName('deliberation-needs', f.area),
            read: (offset, limit) => d.needs(db, actor, { ...f, offset, limit }),
            columns: NEED_COLUMNS,
            place: (r) => r.compoundId,
            id: (r) => r.id,
          });
        return c.json(
          await cached(`needs:${who(actor)}:${JSON.stringify(f)}`, () => d.needs(db, actor, f)),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/needs',
        summary:
          'A need from an accepted proposal (proposalId) or a ticket cluster (compoundId, category) (deliberation.manage)',
        request: { body: jsonBody(NeedBody) },
        responses: {
          201: { description: 'The need', content: json(unchecked(Need)) },
          ...errorResponses,
        },
      }),
      async (c) => c.json(changed(await d.addNeed(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/resources',
        summary:
          '资源清单 serving an area (its places and those above it), with what each has left',
        request: {
          query: z.object({
            area: areaQuery,
            kind: z
              .enum(RESOURCE_KINDS as [ResourceKind, ...ResourceKind[]], {
                message: oneOf(RESOURCE_KINDS),
              })
              .optional()
              .openapi(queryDoc('kind')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every row of the list as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of resources',
            content: { ...json(unchecked(ResourceList)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json')
          return sendListFile(c, db, {
            format,
            lang,
            what: areaName('deliberation-resources', f.area),
            read: (offset, limit) => d.resources(db, actor, { ...f, offset, limit }),
            columns: RESOURCE_COLUMNS,
            place: (r) => r.areaId,
            id: (r) => r.id,
          });
        return c.json(
          await cached(`resources:${who(actor)}:${JSON.stringify(f)}`, () =>
            d.resources(db, actor, f),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/resources',
        summary:
          'A resource (space, funds, volunteers, a unit’s help) offered to a community or compound (deliberation.manage)',
        request: { body: jsonBody(ResourceBody) },
        responses: {
          201: { description: 'The resource', content: json(unchecked(Resource)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await d.addResource(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/projects',
        summary: '项目清单 of an area, overdue first',
        request: {
          query: z.object({
            area: areaQuery,
            status: z
              .enum(PROJECT_STATUSES, { message: oneOf(PROJECT_STATUSES) })
              .optional()
              .openapi(queryDoc('status')),
            limit: limitParam(200, 50).openapi(queryDoc('limit')),
            offset: offsetParam.openapi(queryDoc('offset')),
            // csv|geojson: every row of the list as a file (limit and offset do not apply).
            format: exportFormat,
            lang: exportLang,
          }),
        },
        responses: {
          200: {
            description: 'One page of projects',
            content: { ...json(unchecked(ProjectList)), ...fileContent },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { format, lang, ...f } = c.req.valid('query');
        const actor = c.get('actor');
        if (format !== 'json')
          return sendListFile(c, db, {
            format,
            lang,
            what: areaName('deliberation-projects', f.area),
            read: (offset, limit) => d.projects(db, actor, { ...f, offset, limit }),
            columns: PROJECT_COLUMNS,
            place: (r) => r.compoundId,
            id: (r) => r.id,
          });
        return c.json(
          await cached(`projects:${who(actor)}:${JSON.stringify(f)}`, () =>
            d.projects(db, actor, f),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/projects/{id}',
        summary:
          'A project with its matches, milestones and (finished) tickets of its category before and after',
        request: { params: idParams },
        responses: {
          200: { description: 'The project', content: json(unchecked(ProjectDetail)) },
          ...errorResponses,
        },
      }),
      // The effect counts tickets, which change outside this router: read fresh.
      async (c) => c.json(await d.project(db, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/projects',
        summary:
          'A need taken on as a project with owner, budget, deadline and milestones (deliberation.manage)',
        request: { body: jsonBody(ProjectBody) },
        responses: {
          201: { description: 'The project', content: json(unchecked(ProjectDetail)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(changed(await d.addProject(db, c.get('actor'), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/projects/{id}/resources',
        summary:
          'Match a resource to a project (never beyond what it has left: 409) (deliberation.manage)',
        request: { params: idParams, body: jsonBody(MatchBody) },
        responses: {
          200: {
            description: 'The project with the match',
            content: json(unchecked(ProjectDetail)),
          },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(await d.match(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json'))),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/projects/{id}/status',
        summary:
          'Move a project: planned → in_progress → done (every milestone done), or cancelled (deliberation.manage)',
        request: { params: idParams, body: jsonBody(StatusBody) },
        responses: {
          200: { description: 'The project', content: json(unchecked(ProjectDetail)) },
          ...errorResponses,
        },
      }),
      async (c) =>
        c.json(
          changed(
            await d.setStatus(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json')),
          ),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/projects/{id}/milestones/{milestoneId}/done',
        summary: 'Mark a milestone done (deliberation.manage)',
        request: {
          params: z.object({
            id: idParam.openapi({ param: { in: 'path', name: 'id' }, type: 'string' }),
            milestoneId: idParam.openapi({
              param: { in: 'path', name: 'milestoneId' },
              type: 'string',
            }),
          }),
          body: jsonBody(DoneBody),
        },
        responses: {
          200: { description: 'The project', content: json(unchecked(ProjectDetail)) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(
          changed(
            await d.completeMilestone(
              db,
              c.get('actor'),
              p.id,
              p.milestoneId,
              c.req.valid('json').on,
            ),
          ),
          200,
        );
      },
    );
}
