/**
 * The domain's closed vocabularies, shared by the server (validation), the seed and the web
 * (filters, legends, colours). The order of each list is its wire code in the binary point
 * encoding, so append only.
 */

export type Rgb = readonly [number, number, number];
export interface Term<K extends string> {
  readonly key: K;
  readonly zh: string;
  readonly en: string;
  readonly color: Rgb;
}

function terms<const K extends string>(list: readonly Term<K>[]): readonly Term<K>[] {
  return list;
}

export const AREA_LEVELS = ['district', 'subdistrict', 'community', 'grid', 'compound'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];
export const AREA_LEVEL_LABELS: Record<AreaLevel, { zh: string; en: string }> = {
  district: { zh: '区', en: 'District' },
  subdistrict: { zh: '街道', en: 'Subdistrict' },
  community: { zh: '社区', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
  compound: { zh: '小区', en: 'Compound' },
};
export function childLevel(level: AreaLevel): AreaLevel | null {
  const i = AREA_LEVELS.indexOf(level);
  return AREA_LEVELS[i + 1] ?? null;
}

export const TICKET_CATEGORIES = terms([
  { key: 'parking', zh: '停车难', en: 'Parking', color: [230, 126, 34] },
  {
    key: 'facilities',
    zh: '老旧设施、管道老化',
    en: 'Aging facilities & pipes',
    color: [142, 68, 173],
  },
  { key: 'property_service', zh: '物业服务', en: 'Property service', color: [41, 128, 185] },
  {
    key: 'dispute',
    zh: '邻里及物业纠纷',
    en: 'Neighbour & property disputes',
    color: [192, 57, 43],
  },
  { key: 'legal_aid', zh: '法律援助', en: 'Legal aid', color: [22, 160, 133] },
  { key: 'sanitation', zh: '环境卫生', en: 'Sanitation', color: [39, 174, 96] },
  { key: 'noise', zh: '噪声扰民', en: 'Noise', color: [241, 196, 15] },
  { key: 'safety', zh: '安全隐患', en: 'Safety', color: [211, 84, 0] },
  { key: 'elder_child_care', zh: '养老托育', en: 'Elder & child care', color: [236, 112, 160] },
  { key: 'other', zh: '其他', en: 'Other', color: [127, 140, 141] },
] as const);
export type TicketCategory = (typeof TICKET_CATEGORIES)[number]['key'];

export const TICKET_CHANNELS = terms([
  { key: 'hotline_12345', zh: '12345热线', en: '12345 hotline', color: [52, 152, 219] },
  { key: 'grid_patrol', zh: '网格巡查', en: 'Grid patrol', color: [46, 204, 113] },
  { key: 'online', zh: '网上平台', en: 'Online platform', color: [155, 89, 182] },
  { key: 'walk_in', zh: '来访', en: 'Walk-in', color: [230, 126, 34] },
  { key: 'sentinel', zh: '流动前哨', en: 'Mobile sentinel', color: [26, 188, 156] },
] as const);
export type TicketChannel = (typeof TICKET_CHANNELS)[number]['key'];

export const TICKET_STATUSES = terms([
  { key: 'received', zh: '已受理', en: 'Received', color: [231, 76, 60] },
  { key: 'dispatched', zh: '已派单', en: 'Dispatched', color: [230, 126, 34] },
  { key: 'accepted', zh: '已接单', en: 'Accepted', color: [241, 196, 15] },
  { key: 'in_progress', zh: '处理中', en: 'In progress', color: [52, 152, 219] },
  { key: 'resolved', zh: '已办结待回访', en: 'Resolved', color: [26, 188, 156] },
  { key: 'closed', zh: '已关闭', en: 'Closed', color: [39, 174, 96] },
  { key: 'returned', zh: '已退回', en: 'Returned', color: [192, 57, 43] },
  { key: 'transferred', zh: '已转派', en: 'Transferred', color: [155, 89, 182] },
  { key: 'reopened', zh: '已重启', en: 'Reopened', color: [211, 84, 0] },
  { key: 'rejected_duplicate', zh: '重复件', en: 'Duplicate', color: [149, 165, 166] },
] as const);
export type TicketStatus = (typeof TICKET_STATUSES)[number]['key'];
/** Statuses in which a ticket still needs work (open). */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = [
  'received',
  'dispatched',
  'accepted',
  'in_progress',
  'returned',
  'transferred',
  'reopened',
];

export const HAZARD_TYPES = terms([
  { key: 'fire', zh: '消防', en: 'Fire', color: [231, 76, 60] },
  { key: 'gas', zh: '燃气', en: 'Gas', color: [230, 126, 34] },
  { key: 'electrical', zh: '用电', en: 'Electrical', color: [241, 196, 15] },
  { key: 'structural', zh: '房屋结构', en: 'Structural', color: [127, 140, 141] },
  { key: 'elevator', zh: '电梯', en: 'Elevator', color: [52, 152, 219] },
  { key: 'pipe', zh: '管道', en: 'Pipe', color: [142, 68, 173] },
] as const);
export type HazardType = (typeof HAZARD_TYPES)[number]['key'];

export const HAZARD_SEVERITIES = terms([
  { key: 'low', zh: '一般', en: 'Low', color: [241, 196, 15] },
  { key: 'medium', zh: '较大', en: 'Medium', color: [230, 126, 34] },
  { key: 'high', zh: '重大', en: 'High', color: [231, 76, 60] },
  { key: 'critical', zh: '特别重大', en: 'Critical', color: [142, 0, 80] },
] as const);
export type HazardSeverity = (typeof HAZARD_SEVERITIES)[number]['key'];

export const HAZARD_STATUSES = terms([
  { key: 'reported', zh: '待整改', en: 'Reported', color: [231, 76, 60] },
  { key: 'rectifying', zh: '整改中', en: 'Rectifying', color: [230, 126, 34] },
  { key: 'rectified', zh: '已整改待验收', en: 'Rectified', color: [52, 152, 219] },
  { key: 'verified', zh: '已验收', en: 'Verified', color: [39, 174, 96] },
] as const);
export type HazardStatus = (typeof HAZARD_STATUSES)[number]['key'];

/** 红黄蓝三色动态评估 */
export const RATING_COLORS = terms([
  { key: 'red', zh: '红色（需干预）', en: 'Red (intervene)', color: [220, 53, 69] },
  { key: 'yellow', zh: '黄色（需关注）', en: 'Yellow (watch)', color: [255, 193, 7] },
  { key: 'blue', zh: '蓝色（良好）', en: 'Blue (good)', color: [13, 110, 253] },
] as const);
export type RatingColor = (typeof RATING_COLORS)[number]['key'];

export function keysOf<K extends string>(list: readonly Term<K>[]): K[] {
  return list.map((t) => t.key);
}
export function codeOf<K extends string>(list: readonly Term<K>[], key: K): number {
  return list.findIndex((t) => t.key === key);
}

/**
 * The events of the wall's 24-hour replay, in the order the replay's `k` column indexes them (the
 * replay query numbers them so; the contract and the map's colours follow it).
 */
export const REPLAY_KINDS = [
  'ticket.received',
  'ticket.closed',
  'hazard.reported',
  'whistle.blown',
  'patrol.started',
] as const;
