/**
 * Reading the audit log: labels for its actions and a one-line summary of what a write changed.
 * Pure, so that the wording is tested without a browser.
 */
import { HAZARD_ACTIONS, ROLES, TICKET_ACTIONS } from '../../../geo/operations.ts';
import { HAZARD_STATUSES, TICKET_STATUSES } from '../../../geo/vocabulary.ts';
import type { Lang } from './view-config.ts';

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditPage {
  items: AuditRow[];
  nextBefore: number | null;
}

type Label = { zh: string; en: string };

export const AUDIT_ENTITIES: readonly (Label & { key: string })[] = [
  { key: 'ticket', zh: '工单', en: 'Ticket' },
  { key: 'hazard', zh: '隐患', en: 'Hazard' },
  { key: 'whistle', zh: '吹哨', en: 'Whistle' },
  { key: 'patrol', zh: '巡查', en: 'Patrol' },
  { key: 'session', zh: '登录', en: 'Session' },
  { key: 'account', zh: '账号', en: 'Account' },
  { key: 'display', zh: '大屏授权', en: 'Wall display' },
  { key: 'api_key', zh: '接口密钥', en: 'API key' },
  { key: 'wall_alarm', zh: '大屏告警', en: 'Wall alarm' },
  { key: 'wall_playlist', zh: '轮播方案', en: 'Wall playlist' },
  { key: 'gap_task', zh: '党建缺口', en: 'Party gap' },
  { key: 'building_steward', zh: '党员中心户', en: 'Building steward' },
  { key: 'compound_ratings', zh: '三色评估', en: 'Ratings' },
  { key: 'rating_followup', zh: '包抓方案', en: 'Follow-up plan' },
  { key: 'company_credit', zh: '物业信用', en: 'Company credit' },
  { key: 'credit_lists', zh: '红黑榜', en: 'Red/black list' },
  { key: 'supervision_case', zh: '督办', en: 'Supervision case' },
  { key: 'proposal', zh: '议题', en: 'Proposal' },
  { key: 'joint_meeting', zh: '联席会议', en: 'Joint meeting' },
  { key: 'need', zh: '需求清单', en: 'Need' },
  { key: 'resource', zh: '资源清单', en: 'Resource' },
  { key: 'project', zh: '项目清单', en: 'Project' },
  { key: 'mediation_case', zh: '调解案件', en: 'Mediation case' },
  { key: 'service_point', zh: '服务阵地', en: 'Service point' },
  { key: 'enforcement_visit', zh: '执法进小区', en: 'Enforcement visit' },
];

/** Actions that are not steps of a ticket's or a hazard's lifecycle. */
const OTHER_ACTIONS: Record<string, Label> = {
  'ticket.create': { zh: '新建工单', en: 'Ticket created' },
  'hazard.create': { zh: '上报隐患', en: 'Hazard reported' },
  'whistle.create': { zh: '吹哨', en: 'Whistle blown' },
  'whistle.report_in': { zh: '报到', en: 'Reported in' },
  'whistle.resolve': { zh: '吹哨办结', en: 'Whistle resolved' },
  'patrol.start': { zh: '开始巡查', en: 'Patrol started' },
  'patrol.checkin': { zh: '巡查打卡', en: 'Patrol check-in' },
  'patrol.end': { zh: '结束巡查', en: 'Patrol ended' },
  'session.create': { zh: '登录', en: 'Signed in' },
  'session.delete': { zh: '退出登录', en: 'Signed out' },
  'session.fail': { zh: '登录失败', en: 'Failed sign-in' },
  'account.create': { zh: '新建账号', en: 'Account created' },
  'account.update': { zh: '修改账号', en: 'Account changed' },
  'account.disable': { zh: '停用账号', en: 'Account disabled' },
  'account.enable': { zh: '启用账号', en: 'Account enabled' },
  'account.reset_password': { zh: '重置密码', en: 'Password reset' },
  'account.change_password': { zh: '修改密码', en: 'Password changed' },
  'display.issue': { zh: '签发大屏密钥', en: 'Display key issued' },
  'display.revoke': { zh: '吊销大屏密钥', en: 'Display key revoked' },
  'display.session': { zh: '大屏登录', en: 'Display signed in' },
  'api_key.issue': { zh: '签发接口密钥', en: 'API key issued' },
  'api_key.revoke': { zh: '吊销接口密钥', en: 'API key revoked' },
  'open311.request': { zh: 'Open311 接口提交诉求', en: 'Open311 request filed' },
  'wall_alarm.ack': { zh: '确认告警', en: 'Alarm acknowledged' },
  'wall_playlist.create': { zh: '新建轮播方案', en: 'Playlist created' },
  'wall_playlist.update': { zh: '修改轮播方案', en: 'Playlist changed' },
  'wall_playlist.delete': { zh: '删除轮播方案', en: 'Playlist deleted' },
  'gap_task.assign': { zh: '交办缺口', en: 'Gap assigned' },
  'gap_task.waive': { zh: '缺口免补', en: 'Gap waived' },
  'building_steward.assign': { zh: '确定党员中心户', en: 'Building steward assigned' },
  'building_steward.remove': { zh: '撤销党员中心户', en: 'Building steward removed' },
  'ratings.recompute': { zh: '重算三色评估', en: 'Ratings recomputed' },
  'followup.open': { zh: '建立包抓方案', en: 'Follow-up plan opened' },
  'followup.step_done': { zh: '完成整改步骤', en: 'Plan step done' },
  'followup.step_undone': { zh: '撤回整改步骤', en: 'Plan step reopened' },
  'followup.done': { zh: '包抓方案完成', en: 'Follow-up plan done' },
  'followup.cancel': { zh: '撤销包抓方案', en: 'Follow-up plan cancelled' },
  'credit.recompute': { zh: '重算物业信用', en: 'Credit recomputed' },
  'credit.publish': { zh: '发布红黑榜', en: 'Red/black list published' },
  'supervision.open': { zh: '立案督办', en: 'Supervision case opened' },
  'supervision.rectify': { zh: '督办转入整改', en: 'Supervision case rectifying' },
  'supervision.close': { zh: '督办结案', en: 'Supervision case closed' },
  'proposal.submit': { zh: '登记业主建议', en: 'Proposal submitted' },
  'proposal.from_evidence': { zh: '诉求聚集转议题', en: 'Proposal from map evidence' },
  'proposal.accept': { zh: '党组织审议通过', en: 'Proposal accepted' },
  'proposal.return': { zh: '议题退回补充', en: 'Proposal returned' },
  'proposal.reject': { zh: '议题不予采纳', en: 'Proposal rejected' },
  'proposal.resubmit': { zh: '议题补充重报', en: 'Proposal resubmitted' },
  'proposal.decide': { zh: '联席会议议定', en: 'Proposal decided' },
  'proposal.publish': { zh: '结果公开', en: 'Result published' },
  'joint_meeting.hold': { zh: '召开联席会议', en: 'Joint meeting held' },
  'need.add': { zh: '新增需求', en: 'Need added' },
  'resource.add': { zh: '新增资源', en: 'Resource added' },
  'project.add': { zh: '新建项目', en: 'Project created' },
  'project.match': { zh: '项目对接资源', en: 'Resource matched' },
  'project.milestone': { zh: '完成项目节点', en: 'Milestone done' },
  'project.status': { zh: '项目状态变更', en: 'Project status changed' },
  'ledger.import': { zh: '导入财务账目', en: 'Ledger imported' },
  'ledger.publish': { zh: '公开财务账目', en: 'Ledger published' },
  'ledger.discard': { zh: '删除账目草稿', en: 'Ledger draft discarded' },
  'mediation_case.create': { zh: '调解受理', en: 'Mediation case accepted' },
  'mediation_case.investigating': { zh: '调解调查', en: 'Mediation case investigated' },
  'mediation_case.mediating': { zh: '组织调解', en: 'Mediation held' },
  'mediation_case.closed': { zh: '调解结案', en: 'Mediation case closed' },
  'mediation_case.transferred': { zh: '调解转交', en: 'Mediation case transferred' },
  'mediation_case.terminated': { zh: '调解终止', en: 'Mediation case terminated' },
  'service_point.create': { zh: '新建服务阵地', en: 'Service point opened' },
  'service_point.update': { zh: '修改服务阵地', en: 'Service point changed' },
  'service_point.close': { zh: '关闭服务阵地', en: 'Service point closed' },
  'enforcement_visit.create': { zh: '登记执法进小区', en: 'Enforcement visit recorded' },
};

export function auditActionLabel(action: string, lang: Lang): string {
  const other = OTHER_ACTIONS[action];
  if (other) return other[lang];
  const [entity, step] = action.split('.');
  const steps: readonly (Label & { key: string })[] =
    entity === 'ticket' ? TICKET_ACTIONS : entity === 'hazard' ? HAZARD_ACTIONS : [];
  const found = steps.find((s) => s.key === step);
  if (!found) return action;
  const noun = AUDIT_ENTITIES.find((e) => e.key === entity)!;
  return lang === 'zh' ? `${noun.zh}${found.zh}` : `${noun.en}: ${found.en.toLowerCase()}`;
}

export function roleLabel(role: string, lang: Lang): string {
  return ROLES.find((r) => r.key === role)?.[lang] ?? role;
}

function statusLabel(entity: string, status: unknown, lang: Lang): string {
  const list: readonly (Label & { key: string })[] =
    entity === 'ticket' ? TICKET_STATUSES : entity === 'hazard' ? HAZARD_STATUSES : [];
  return list.find((s) => s.key === status)?.[lang] ?? String(status);
}

/**
 * What the write changed, for the list: a status move when there is one (`已受理 → 已派单`),
 * otherwise the first few fields that differ, then the title or code of a new record.
 */
export function auditChange(row: AuditRow, lang: Lang): string {
  const before = row.before ?? {};
  const after = row.after ?? {};
  const parts: string[] = [];
  if ('status' in after && before.status !== after.status) {
    parts.push(
      'status' in before
        ? `${statusLabel(row.entity, before.status, lang)} → ${statusLabel(row.entity, after.status, lang)}`
        : statusLabel(row.entity, after.status, lang),
    );
  }
  const changed = Object.keys(after).filter(
    (k) =>
      k !== 'status' &&
      k in before &&
      JSON.stringify(before[k]) !== JSON.stringify(after[k]) &&
      !k.endsWith('At'),
  );
  for (const k of changed.slice(0, 2)) parts.push(`${k}: ${short(before[k])} → ${short(after[k])}`);
  const name = after.title ?? after.code ?? after.reason ?? after.note;
  if (row.before === null && typeof name === 'string') parts.push(name);
  return parts.join(' · ');
}

function short(v: unknown): string {
  const s = v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}
