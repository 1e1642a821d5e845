/**
 * The one message catalogue of the UI: Simplified Chinese first, English second. Vocabulary
 * labels (categories, statuses, levels…) come from geo/vocabulary.ts, not from here.
 *
 * @example
 * const t = translator('en');
 * t('status.tickets', { n: 120 }); // '120 tickets'
 */
import type { Lang } from './view-config.ts';

const zh = {
  'app.title': '民情地图',
  'app.subtitle': '兰州市小区治理态势',
  'app.city': '兰州市',
  'app.switchLang': 'EN',
  'app.switchLangTitle': 'Switch to English',
  'app.loadingMap': '地图加载中…',
  'app.error': '数据加载失败',
  'app.retry': '重试',

  'panel.up': '返回上级',
  'panel.code': '区划代码',
  'panel.noCode': '无官方代码',
  'panel.children': '下辖{level} {n} 个',
  'panel.cityOverview': '全市概况',
  'panel.cityHint': '点击地图上的区域，逐级下钻到街道、社区、网格和小区。',
  'panel.districts': '城区',
  'panel.ratingMix': '小区三色评估分布',
  'panel.loading': '加载中…',
  'panel.noData': '暂无数据',
  'panel.period': '统计期间',
  'panel.defaultPeriod': '近一年',

  'kpi.open': '待办工单',
  'kpi.overdue': '超期工单',
  'kpi.received': '受理工单',
  'kpi.closed': '已办结',
  'kpi.completionRate': '一网通办办结率',
  'kpi.onTimeRate': '按期办结率',
  'kpi.satisfaction': '群众满意度',
  'kpi.openHazards': '未整改隐患',
  'kpi.satisfactionUnit': '/ 5',

  'section.hazards': '隐患（按等级）',
  'section.categories': '诉求类别 Top 5',
  'section.rating': '三色动态评估',
  'section.compound': '小区概况',
  'rating.score': '评分',
  'rating.period': '评估周期',
  'rating.none': '未评估',

  'compound.yearBuilt': '建成年份',
  'compound.households': '住户',
  'compound.householdsUnit': '{n} 户',
  'compound.buildings': '楼栋',
  'compound.buildingsUnit': '{n} 栋',
  'compound.property': '物业服务',
  'compound.noProperty': '无物业',
  'compound.creditScore': '信用分 {n}',
  'compound.redList': '红榜',
  'compound.blackList': '黑榜',
  'compound.trustModel': '信托制物业',
  'compound.committee': '业主委员会',
  'compound.hasCommittee': '已成立',
  'compound.noCommittee': '无业委会',
  'compound.partyBranch': '小区党支部',
  'compound.parking': '车位 / 登记车辆',
  'compound.parkingGap': '缺口 {n}',
  'compound.facilities': '设施状况',
  'compound.pipes': '管道',
  'compound.roof': '屋面',
  'compound.elevator': '电梯',
  'compound.demonstration': '省级示范小区',
  'condition.good': '良好',
  'condition.fair': '一般',
  'condition.poor': '老化',
  'common.yes': '有',
  'common.no': '无',
  'common.none': '—',

  'filters.title': '工单筛选',
  'filters.category': '诉求类别',
  'filters.status': '办理状态',
  'filters.statusOpen': '待办',
  'filters.statusAll': '全部',
  'filters.channel': '来源渠道',
  'filters.any': '不限',
  'filters.time': '受理时间',
  'filters.from': '起',
  'filters.to': '止（不含）',
  'filters.reset': '重置',
  'filters.preset7': '近7天',
  'filters.preset30': '近30天',
  'filters.preset365': '近一年',
  'filters.presetAll': '全部',

  'layers.title': '图层',
  'layer.areas': '区域边界',
  'layer.compounds': '小区三色评估',
  'layer.tickets': '诉求工单',
  'layer.hazards': '安全隐患',
  'layer.labels': '地名标注',
  'colorBy.rating': '三色评估',
  'colorBy.open': '待办数量',
  'colorBy.status': '状态',
  'colorBy.category': '类别',
  'colorBy.channel': '渠道',
  'colorBy.severity': '等级',
  'colorBy.type': '类型',
  'colorBy.none': '—',

  'legend.title': '图例',
  'legend.overdue': '超期（白色描边）',
  'legend.openFew': '少',
  'legend.openMany': '多',

  'status.loading': '加载中',
  'status.tickets': '工单 {n} 件',
  'status.hazards': '隐患 {n} 处',
  'status.truncated': '已截断：仅显示最近 {n} 件，请放大地图或收窄筛选',
  'status.zoomForTickets': '放大地图以显示工单',

  'tooltip.open': '待办 {n} 件',
  'tooltip.overdue': '超期 {n} 件',
  'tooltip.drill': '点击查看',
  'tooltip.ticket': '工单',
  'tooltip.hazard': '隐患',
  'tooltip.urgent': '紧急',
  'tooltip.overdueFlag': '已超期',

  'ticket.title': '工单详情',
  'ticket.receivedAt': '受理时间',
  'ticket.dueAt': '办理时限',
  'ticket.timeline': '办理过程',
  'ticket.close': '关闭',
  'ticket.compound': '所在小区',
  'ticket.department': '承办部门',
  'ticket.resident': '诉求人',
  'ticket.satisfaction': '满意度评价',
} as const;

export type MessageKey = keyof typeof zh;
export type Catalogue = Record<MessageKey, string>;

const en: Catalogue = {
  'app.title': 'Minqing Map',
  'app.subtitle': 'Lanzhou compound governance',
  'app.city': 'Lanzhou',
  'app.switchLang': '中文',
  'app.switchLangTitle': '切换到中文',
  'app.loadingMap': 'Loading map…',
  'app.error': 'Failed to load data',
  'app.retry': 'Retry',

  'panel.up': 'Up one level',
  'panel.code': 'Official code',
  'panel.noCode': 'No official code',
  'panel.children': '{n} × {level}',
  'panel.cityOverview': 'City overview',
  'panel.cityHint':
    'Click an area on the map to drill down to subdistricts, communities, grids and compounds.',
  'panel.districts': 'Districts',
  'panel.ratingMix': 'Compound ratings',
  'panel.loading': 'Loading…',
  'panel.noData': 'No data',
  'panel.period': 'Period',
  'panel.defaultPeriod': 'Last 12 months',

  'kpi.open': 'Open tickets',
  'kpi.overdue': 'Overdue',
  'kpi.received': 'Received',
  'kpi.closed': 'Closed',
  'kpi.completionRate': 'Completion rate',
  'kpi.onTimeRate': 'On-time rate',
  'kpi.satisfaction': 'Satisfaction',
  'kpi.openHazards': 'Open hazards',
  'kpi.satisfactionUnit': '/ 5',

  'section.hazards': 'Hazards by severity',
  'section.categories': 'Top 5 categories',
  'section.rating': 'Three-colour rating',
  'section.compound': 'Compound profile',
  'rating.score': 'Score',
  'rating.period': 'Period',
  'rating.none': 'Not rated',

  'compound.yearBuilt': 'Year built',
  'compound.households': 'Households',
  'compound.householdsUnit': '{n}',
  'compound.buildings': 'Buildings',
  'compound.buildingsUnit': '{n}',
  'compound.property': 'Property company',
  'compound.noProperty': 'No property company',
  'compound.creditScore': 'credit {n}',
  'compound.redList': 'red list',
  'compound.blackList': 'black list',
  'compound.trustModel': 'trust model',
  'compound.committee': "Owners' committee",
  'compound.hasCommittee': 'Established',
  'compound.noCommittee': "No owners' committee",
  'compound.partyBranch': 'Party branch',
  'compound.parking': 'Parking spaces / cars',
  'compound.parkingGap': 'short by {n}',
  'compound.facilities': 'Facilities',
  'compound.pipes': 'Pipes',
  'compound.roof': 'Roof',
  'compound.elevator': 'Elevator',
  'compound.demonstration': 'Provincial demonstration compound',
  'condition.good': 'good',
  'condition.fair': 'fair',
  'condition.poor': 'poor',
  'common.yes': 'yes',
  'common.no': 'no',
  'common.none': '—',

  'filters.title': 'Ticket filters',
  'filters.category': 'Category',
  'filters.status': 'Status',
  'filters.statusOpen': 'Open',
  'filters.statusAll': 'All',
  'filters.channel': 'Channel',
  'filters.any': 'Any',
  'filters.time': 'Received',
  'filters.from': 'From',
  'filters.to': 'To (excl.)',
  'filters.reset': 'Reset',
  'filters.preset7': '7 days',
  'filters.preset30': '30 days',
  'filters.preset365': '1 year',
  'filters.presetAll': 'All',

  'layers.title': 'Layers',
  'layer.areas': 'Area boundaries',
  'layer.compounds': 'Compound ratings',
  'layer.tickets': 'Tickets',
  'layer.hazards': 'Hazards',
  'layer.labels': 'Labels',
  'colorBy.rating': 'Rating',
  'colorBy.open': 'Open',
  'colorBy.status': 'Status',
  'colorBy.category': 'Category',
  'colorBy.channel': 'Channel',
  'colorBy.severity': 'Severity',
  'colorBy.type': 'Type',
  'colorBy.none': '—',

  'legend.title': 'Legend',
  'legend.overdue': 'Overdue (white outline)',
  'legend.openFew': 'few',
  'legend.openMany': 'many',

  'status.loading': 'Loading',
  'status.tickets': '{n} tickets',
  'status.hazards': '{n} hazards',
  'status.truncated': 'Truncated: only the latest {n} shown; zoom in or narrow the filters',
  'status.zoomForTickets': 'Zoom in to see tickets',

  'tooltip.open': '{n} open',
  'tooltip.overdue': '{n} overdue',
  'tooltip.drill': 'Click to open',
  'tooltip.ticket': 'Ticket',
  'tooltip.hazard': 'Hazard',
  'tooltip.urgent': 'urgent',
  'tooltip.overdueFlag': 'overdue',

  'ticket.title': 'Ticket',
  'ticket.receivedAt': 'Received',
  'ticket.dueAt': 'Due',
  'ticket.timeline': 'Timeline',
  'ticket.close': 'Close',
  'ticket.compound': 'Compound',
  'ticket.department': 'Department',
  'ticket.resident': 'Resident',
  'ticket.satisfaction': 'Satisfaction',
};

export const catalogues: Record<Lang, Catalogue> = { zh, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const messages = catalogues[lang];
  return (key, params) => {
    const text = messages[key] ?? zh[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) =>
      name in params ? String(params[name]) : m,
    );
  };
}

/** A vocabulary term's label in the language. */
export function termLabel(term: { zh: string; en: string } | undefined, lang: Lang): string {
  return term ? term[lang] : '—';
}

export function numberFormat(lang: Lang): Intl.NumberFormat {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US');
}

/** 0.9234 → '92.3%'; null → '—' */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}
