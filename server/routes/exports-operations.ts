/**
 * The file columns of the operations lists (party gap tasks, accounts, whistles): what each list
 * shows, in both languages. The rows come from the lists' own services; nothing here decides who
 * sees what.
 */
import { ROLES, WHISTLE_STATES } from '../../geo/operations.ts';
import type { GapTask } from '../contract/party.ts';
import type { AccountJson } from '../services/accounts.ts';
import type { WhistleRow } from '../contract/whistles.ts';
import type { RedListRow } from '../contract/ratings.ts';
import type { TrackProperties } from '../contract/patrols.ts';
import { beijingTime, termIn, yesNo, type BilingualColumn } from './exports.ts';

const GAP_KIND_TERMS = [
  { key: 'no_property_company', zh: '无物业', en: 'No property company' },
  { key: 'no_owners_committee', zh: '无业委会', en: "No owners' committee" },
  { key: 'no_party_branch', zh: '无党支部', en: 'No party branch' },
  { key: 'no_building_steward', zh: '楼栋无党员中心户', en: 'Building without a steward' },
];
const GAP_STATUS_TERMS = [
  { key: 'open', zh: '待分派', en: 'Unassigned' },
  { key: 'assigned', zh: '已分派', en: 'Assigned' },
  { key: 'closed', zh: '已关闭', en: 'Closed' },
];
const GAP_RESOLUTION_TERMS = [
  { key: 'filled', zh: '已补齐', en: 'Filled' },
  { key: 'waived', zh: '已豁免', en: 'Waived' },
];

export const GAP_COLUMNS: BilingualColumn<GapTask>[] = [
  { zh: '任务编号', en: 'Task ID', value: (r) => r.id },
  { zh: '缺口类型', en: 'Gap kind', value: (r, l) => termIn(GAP_KIND_TERMS, r.kind, l) },
  { zh: '小区编号', en: 'Compound ID', value: (r) => r.compoundId },
  { zh: '小区', en: 'Compound', value: (r) => r.compoundName },
  { zh: '楼栋', en: 'Building', value: (r) => r.buildingName ?? '' },
  { zh: '状态', en: 'Status', value: (r, l) => termIn(GAP_STATUS_TERMS, r.status, l) },
  { zh: '责任人', en: 'Assignee', value: (r) => r.assignee ?? '' },
  { zh: '完成期限', en: 'Due date', value: (r) => r.dueOn ?? '' },
  { zh: '逾期', en: 'Overdue', value: (r, l) => yesNo(r.overdue, l) },
  { zh: '备注', en: 'Note', value: (r) => r.note },
  { zh: '发现时间', en: 'Opened at', value: (r) => beijingTime(r.openedAt) },
  { zh: '关闭时间', en: 'Closed at', value: (r) => beijingTime(r.closedAt) },
  {
    zh: '关闭方式',
    en: 'Resolution',
    value: (r, l) => termIn(GAP_RESOLUTION_TERMS, r.resolution, l),
  },
];

/** The list's own fields; no password hash is ever in the row (the list never reads it). */
export const ACCOUNT_COLUMNS: BilingualColumn<AccountJson>[] = [
  { zh: '账号编号', en: 'Account ID', value: (r) => r.id },
  { zh: '用户名', en: 'Username', value: (r) => r.username },
  { zh: '姓名', en: 'Name', value: (r) => r.displayName },
  { zh: '角色', en: 'Role', value: (r, l) => termIn(ROLES, r.role, l) },
  { zh: '手机', en: 'Phone', value: (r) => r.phone ?? '' },
  { zh: '管辖', en: 'Scope', value: (r) => r.scope.name },
  { zh: '停用', en: 'Disabled', value: (r, l) => yesNo(r.disabled, l) },
  { zh: '演示账号', en: 'Demo', value: (r, l) => yesNo(r.demo, l) },
  { zh: '创建时间', en: 'Created at', value: (r) => beijingTime(r.createdAt?.toISOString()) },
  {
    zh: '改密时间',
    en: 'Password changed at',
    value: (r) => beijingTime(r.passwordChangedAt?.toISOString()),
  },
  { zh: '停用时间', en: 'Disabled at', value: (r) => beijingTime(r.disabledAt?.toISOString()) },
];

export const WHISTLE_COLUMNS: BilingualColumn<WhistleRow>[] = [
  { zh: '编号', en: 'Code', value: (r) => r.code },
  {
    zh: '吹哨层级',
    en: 'Level',
    value: (r, l) =>
      r.level === 'community'
        ? l === 'zh'
          ? '社区吹哨'
          : 'Community'
        : l === 'zh'
          ? '街道吹哨'
          : 'Subdistrict',
  },
  { zh: '状态', en: 'State', value: (r, l) => termIn(WHISTLE_STATES, r.state, l) },
  { zh: '工单', en: 'Ticket', value: (r) => r.ticketCode ?? '' },
  { zh: '小区', en: 'Compound', value: (r) => r.compoundName ?? '' },
  { zh: '事由', en: 'Reason', value: (r) => r.reason },
  { zh: '吹哨人', en: 'Blown by', value: (r) => r.blownBy },
  { zh: '吹哨时间', en: 'Blown at', value: (r) => beijingTime(r.blownAt) },
  { zh: '报到期限', en: 'Report-in due', value: (r) => beijingTime(r.reportDueAt) },
  { zh: '解决期限', en: 'Resolution due', value: (r) => beijingTime(r.resolveDueAt) },
  {
    zh: '报到单位',
    en: 'Responders',
    value: (r) =>
      r.responders
        .map((p) => `${p.name}${p.reportedAt ? ' ✓' : ''}${p.late ? ' !' : ''}`)
        .join('; '),
  },
  { zh: '解决时间', en: 'Resolved at', value: (r) => beijingTime(r.resolvedAt) },
  { zh: '处置结果', en: 'Resolution', value: (r) => r.resolution ?? '' },
];

/** More than the compounds of any city: the red list export holds every red compound. */
export const RED_LIST_EXPORT_MAX = 50_000;

const FOLLOWUP_STATUS_TERMS = [
  { key: 'open', zh: '落实中', en: 'Open' },
  { key: 'done', zh: '已完成', en: 'Done' },
  { key: 'cancelled', zh: '已撤销', en: 'Cancelled' },
];

/** The red list (红色小区) with each compound's 包抓 plan, as the ratings panel shows it. */
export const RED_LIST_COLUMNS: BilingualColumn<RedListRow>[] = [
  { zh: '小区编号', en: 'Compound ID', value: (r) => r.compoundId },
  { zh: '小区', en: 'Compound', value: (r) => r.name },
  { zh: '评分', en: 'Score', value: (r) => r.score },
  { zh: '连续红色起始月', en: 'Red since', value: (r) => r.since.slice(0, 7) },
  {
    zh: '包抓方案',
    en: 'Follow-up',
    value: (r, l) =>
      r.plan ? termIn(FOLLOWUP_STATUS_TERMS, r.plan.status, l) : l === 'zh' ? '无' : 'none',
  },
  { zh: '包抓干部', en: 'Cadre', value: (r) => r.plan?.cadreName ?? '' },
  { zh: '完成期限', en: 'Due date', value: (r) => r.plan?.dueOn ?? '' },
  { zh: '逾期', en: 'Overdue', value: (r, l) => (r.plan ? yesNo(r.plan.overdue, l) : '') },
  {
    zh: '步骤完成',
    en: 'Steps done',
    value: (r) => (r.plan ? `${r.plan.stepsDone}/${r.plan.steps}` : ''),
  },
];

/** A day's patrols, one track a row (check-ins counted; they are in the GeoJSON file). */
export const PATROL_COLUMNS: BilingualColumn<TrackProperties>[] = [
  { zh: '巡查编号', en: 'Patrol ID', value: (r) => r.id },
  { zh: '网格编号', en: 'Grid ID', value: (r) => r.gridId },
  { zh: '网格员', en: 'Gridworker', value: (r) => r.gridworker },
  { zh: '开始时间', en: 'Started at', value: (r) => beijingTime(r.startedAt) },
  { zh: '结束时间', en: 'Ended at', value: (r) => beijingTime(r.endedAt) },
  { zh: '里程（米）', en: 'Distance (m)', value: (r) => r.distanceM },
  { zh: '打卡次数', en: 'Check-ins', value: (r) => r.checkins },
];
