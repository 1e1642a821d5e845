/**
 * The wall's message catalogue: Simplified Chinese first, English (`?lang=en`) second.
 *
 * @example
 * translator('en')('stale.old', { n: 95 }); // 'Data not updated for 95 s'
 */
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

type Key = keyof typeof zh;

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
