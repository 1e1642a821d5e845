/**
 * The wall's message catalogue: Simplified Chinese first, English (`?lang=en`) second.
 *
 * @example
 * translator('en')('stale.old', { n: 95 }); // 'Data not updated for 95 s'
 */
import { HAZARD_TYPES, TICKET_CATEGORIES } from '../../../geo/vocabulary.ts';

export type Lang = 'zh' | 'en';

const zh = {
  title: '民情地图 · 指挥大屏',
  clock: '北京时间',
  asOf: '数据截至 {time}',
  loading: '正在加载数据…',
  'stale.old': '数据已超过 {n} 秒未更新',
  'stale.failed': '刷新失败，正在重试',
  'stale.failedAge': '刷新失败，数据已 {n} 秒未更新，正在重试',
  'auth.title': '请先登录',
  'auth.body': '请在主页面以“全市指挥中心”账号登录后，再打开本大屏。',
  'auth.link': '前往主页面登录',
  'auth.revoked': '此大屏授权无效或已被撤销，请联系市级管理员重新授权。',
  'scene.city': '全市总览',
  'scene.district': '{name}',
  'scene.districtFallback': '区县',
  'scene.hotspots': '诉求热点',
  'scene.whistles': '吹哨报到',
  'scene.hazards': '安全隐患',
  'scene.coverage': '巡查覆盖',
  'scene.heat': '全年诉求分布',
  'scene.next': '{n} 秒后切换',
  'scene.paused': '轮播已暂停',
  'scene.count': '场景 {i}/{n}',
  'alarm.hazard_major': '重大隐患',
  'alarm.whistle_late': '吹哨超时未报到',
  'alarm.ticket_overdue_red': '红色小区诉求超期',
  'alarm.raised': '{time} 发生',
  'alarm.acked': '已由 {who} 确认',
  'alarm.waiting': '另有 {n} 条告警排队',
  'alarms.title': '告警',
  'alarms.none': '近24小时无告警',
  'alarms.open': '未确认 {n}',
  'alarms.unacked': '待确认',
  'ticker.title': '实时动态',
  'ticker.empty': '等待实时动态…',
  'ticker.ticket.created': '新诉求',
  'ticker.ticket.updated': '诉求进展',
  'ticker.hazard.created': '新隐患',
  'ticker.hazard.updated': '隐患整改',
  'ticker.whistle.created': '吹哨',
  'ticker.whistle.updated': '吹哨进展',
  'ticker.patrol.created': '巡查开始',
  'ticker.patrol.updated': '巡查中',
  'stream.down': '实时连接已断开 {n} 秒，正在重连',
  'replay.start': '交班回放',
  'replay.stop': '结束回放',
  'replay.title': '近24小时回放 ×{speed}',
  'replay.at': '回放时刻 {time}',
  'replay.failed': '回放数据加载失败',
  'replay.kind.ticket.received': '受理',
  'replay.kind.ticket.closed': '办结',
  'replay.kind.hazard.reported': '隐患',
  'replay.kind.whistle.blown': '吹哨',
  'replay.kind.patrol.started': '巡查',
  'kpi.received': '今日受理',
  'kpi.open': '待办',
  'kpi.overdue': '超期',
  'kpi.onTime': '按期办结率',
  'kpi.satisfaction': '满意度',
  'kpi.whistleAwaiting': '吹哨待报到',
  'kpi.whistleLate': '吹哨超时报到',
  'kpi.hazardOverdue': '隐患超期整改',
  'trend.up': '{p}% 较同日均值',
  'trend.down': '{p}% 较同日均值',
  'trend.flat': '持平同日均值',
  'trend.new': '同日均值为 0',
  'trend.average': '近四周同日均值 {n}',
  'kpi.last30': '近30日',
  'spark.title': '近30日受理',
  'spark.label': '近30日每日受理数折线，从 {from} 到 {to}，最多 {max} 件',
  'hazards.title': '隐患（按等级）',
  'hazards.critical': '重大',
  'hazards.high': '较大',
  'hazards.medium': '一般',
  'hazards.low': '轻微',
  'districts.title': '各区排名（按超期）',
  'districts.name': '区',
  'districts.received': '受理',
  'districts.open': '待办',
  'districts.overdue': '超期',
  'districts.onTime': '按期率',
  'districts.satisfaction': '满意度',
  'ratings.title': '红黄蓝评定',
  'ratings.period': '评定周期 {p}',
  'ratings.red': '红',
  'ratings.yellow': '黄',
  'ratings.blue': '蓝',
  'ratings.redList': '红榜小区（得分最低）',
  'ratings.none': '暂无红色小区',
  'unit.count': '件',
  'unit.score': '分',
  none: '—',
};

export type Key = keyof typeof zh;

const en: Record<Key, string> = {
  title: 'Minqing Map · Command Center',
  clock: 'Beijing time',
  asOf: 'Data as of {time}',
  loading: 'Loading…',
  'stale.old': 'Data not updated for {n} s',
  'stale.failed': 'Refresh failed, retrying',
  'stale.failedAge': 'Refresh failed, data {n} s old, retrying',
  'auth.title': 'Please sign in',
  'auth.body': 'Sign in as the city command center on the main dashboard, then open this wall.',
  'auth.link': 'Go to the dashboard to sign in',
  'auth.revoked':
    'This display key is invalid or was revoked; ask the city administrator for a new one.',
  'scene.city': 'City overview',
  'scene.district': '{name}',
  'scene.districtFallback': 'District',
  'scene.hotspots': 'Ticket hot spots',
  'scene.whistles': 'Whistles and report-ins',
  'scene.hazards': 'Safety hazards',
  'scene.coverage': 'Patrol coverage',
  'scene.heat': 'Tickets over the year',
  'scene.next': 'Next in {n} s',
  'scene.paused': 'Tour paused',
  'scene.count': 'Scene {i}/{n}',
  'alarm.hazard_major': 'Critical hazard',
  'alarm.whistle_late': 'Whistle report-in overdue',
  'alarm.ticket_overdue_red': 'Overdue ticket in a red compound',
  'alarm.raised': 'Raised {time}',
  'alarm.acked': 'Acknowledged by {who}',
  'alarm.waiting': '{n} more alarms waiting',
  'alarms.title': 'Alarms',
  'alarms.none': 'No alarms in 24 h',
  'alarms.open': '{n} open',
  'alarms.unacked': 'Not yet acknowledged',
  'ticker.title': 'Live',
  'ticker.empty': 'Waiting for live events…',
  'ticker.ticket.created': 'New ticket',
  'ticker.ticket.updated': 'Ticket update',
  'ticker.hazard.created': 'New hazard',
  'ticker.hazard.updated': 'Hazard update',
  'ticker.whistle.created': 'Whistle',
  'ticker.whistle.updated': 'Whistle update',
  'ticker.patrol.created': 'Patrol started',
  'ticker.patrol.updated': 'Patrolling',
  'stream.down': 'Live connection down for {n} s, reconnecting',
  'replay.start': 'Hand-over replay',
  'replay.stop': 'End replay',
  'replay.title': 'Last 24 hours ×{speed}',
  'replay.at': 'Replay time {time}',
  'replay.failed': 'The replay could not be loaded',
  'replay.kind.ticket.received': 'Received',
  'replay.kind.ticket.closed': 'Closed',
  'replay.kind.hazard.reported': 'Hazards',
  'replay.kind.whistle.blown': 'Whistles',
  'replay.kind.patrol.started': 'Patrols',
  'kpi.received': 'Received today',
  'kpi.open': 'Open',
  'kpi.overdue': 'Overdue',
  'kpi.onTime': 'On-time rate',
  'kpi.satisfaction': 'Satisfaction',
  'kpi.whistleAwaiting': 'Whistles awaiting report-in',
  'kpi.whistleLate': 'Late report-ins',
  'kpi.hazardOverdue': 'Overdue rectifications',
  'trend.up': '{p}% vs weekday avg',
  'trend.down': '{p}% vs weekday avg',
  'trend.flat': 'Level with weekday avg',
  'trend.new': 'Weekday avg is 0',
  'trend.average': 'Weekday average {n}',
  'kpi.last30': 'last 30 days',
  'spark.title': 'Received, last 30 days',
  'spark.label': 'Tickets received per day from {from} to {to}, at most {max}',
  'hazards.title': 'Hazards by severity',
  'hazards.critical': 'Critical',
  'hazards.high': 'High',
  'hazards.medium': 'Medium',
  'hazards.low': 'Low',
  'districts.title': 'Districts (most overdue first)',
  'districts.name': 'District',
  'districts.received': 'Received',
  'districts.open': 'Open',
  'districts.overdue': 'Overdue',
  'districts.onTime': 'On time',
  'districts.satisfaction': 'Satisf.',
  'ratings.title': 'Red / yellow / blue ratings',
  'ratings.period': 'Period {p}',
  'ratings.red': 'Red',
  'ratings.yellow': 'Yellow',
  'ratings.blue': 'Blue',
  'ratings.redList': 'Red list (lowest scores)',
  'ratings.none': 'No red compounds',
  'unit.count': '',
  'unit.score': '',
  none: '—',
};

export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table: Record<Key, string> = lang === 'en' ? en : zh;
  return (key, vars = {}) =>
    table[key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** `?lang=en` for English; Chinese otherwise. */
export function langFromUrl(search: string): Lang {
  return new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'zh';
}

/** 1234 → '1,234'; null → '—'. */
export function formatCount(n: number | null, lang: Lang): string {
  return n === null ? '—' : n.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN');
}

/** 0.9234 → '92.3%'; null → '—'. */
export function formatRate(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1)}%`;
}

/** 4.316 → '4.32'; null → '—'. */
export function formatScore(s: number | null): string {
  return s === null ? '—' : s.toFixed(2);
}

const TERMS: ReadonlyMap<string, { zh: string; en: string }> = new Map(
  [...TICKET_CATEGORIES, ...HAZARD_TYPES].map((t) => [t.key, t] as const),
);

/** A ticket category's or hazard type's name; the code itself when unknown; '' for none. */
export function termName(code: string | null, lang: Lang): string {
  if (!code) return '';
  return TERMS.get(code)?.[lang] ?? code;
}
