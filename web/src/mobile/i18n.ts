/**
 * The message catalogue of the mobile intake page: Simplified Chinese first, English second.
 * Category, status, channel and role labels come from geo/ vocabularies, not from here, so the
 * phone and the dashboard never name the same thing differently.
 *
 * @example
 * const t = translator('en');
 * t('sending.attempt', { n: 2 }); // 'Network trouble: attempt 2…'
 */
import { ROLES } from '../../../geo/operations.ts';
import {
  AREA_LEVEL_LABELS,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  type AreaLevel,
} from '../../../geo/vocabulary.ts';
import { formatTime as formatCityTime } from '../lib/time.ts';

export type Lang = 'zh' | 'en';

const zh = {
  'app.title': '民情上报',
  'app.subtitle': '流动前哨 · 网格员',
  'app.switchLang': 'EN',
  'app.switchLangTitle': 'Switch to English',
  'app.loading': '加载中…',
  'app.offline': '当前离线，草稿已保存在本机',

  'signIn.title': '登录',
  'signIn.hint': '兼职网格员（流动前哨）与网格员使用本页上报群众诉求。',
  'signIn.username': '用户名',
  'signIn.password': '密码',
  'signIn.submit': '登录',
  'signIn.busy': '登录中…',
  'signIn.out': '退出',
  'signIn.cannotReport': '该账号没有上报诉求的权限，请使用兼职网格员或网格员账号。',
  'signIn.expired': '登录已过期，请重新登录；草稿不会丢失。',

  'form.title': '上报诉求',
  'form.place': '位置',
  'form.placeHint': '在地图上点按放置标记，可拖动调整',
  'form.useLocation': '使用我的位置',
  'form.locating': '定位中…',
  'form.noPoint': '尚未选择位置',
  'form.inCompound': '{name}',
  'form.inGrid': '{grid}（不在小区内）',
  'form.outside': '该位置不在你的负责区域（{area}）内，可能无法提交',
  'form.category': '诉求类别',
  'form.subject': '标题',
  'form.subjectPlaceholder': '一句话说明问题，如：3号楼下水管漏水',
  'form.description': '详细描述',
  'form.descriptionPlaceholder': '时间、地点、影响范围、群众诉求…',
  'form.photo': '现场照片',
  'form.photoTake': '拍照 / 选择照片',
  'form.photoOr': '或填写照片编号',
  'form.photoPlaceholder': '照片编号或存放位置',
  'form.photoClear': '清除',
  'form.photoNote': '照片暂不上传，仅登记文件名、大小和校验码，原图请保留在手机中。',
  'form.resident': '群众信息（选填）',
  'form.residentName': '姓名',
  'form.residentPhone': '电话',
  'form.urgent': '紧急',
  'form.urgentHint': '涉及安全或影响大量群众，缩短办理时限',
  'form.next': '查重并提交',
  'form.discard': '清空草稿',
  'form.discardConfirm': '确定清空当前草稿？',
  'form.draftRestored': '已恢复未提交的草稿',

  'invalid.point': '请先在地图上选择位置',
  'invalid.category': '请选择诉求类别',
  'invalid.subject': '请填写标题（100 字以内）',
  'invalid.phone': '电话格式不正确（5–20 位数字）',

  'geo.unsupported': '此浏览器不支持定位，请在地图上点选位置。',
  'geo.insecure': '定位需要 HTTPS 安全连接，请在地图上点选位置。',
  'geo.denied': '定位权限被拒绝。请在浏览器设置中允许定位，或在地图上点选位置。',
  'geo.unavailable': '暂时无法获取位置（信号弱？），请在地图上点选位置。',
  'geo.timeout': '定位超时，请重试或在地图上点选位置。',
  'geo.accuracy': '定位精度约 {m} 米',

  'dup.title': '附近可能重复的诉求',
  'dup.checking': '正在查找附近 300 米、14 天内的同类诉求…',
  'dup.none': '附近没有同类诉求，可以提交。',
  'dup.found': '附近有 {n} 件同类诉求，请确认不是同一件事：',
  'dup.failed': '查重失败（{message}），仍可提交。',
  'dup.distance': '{m} 米',
  'dup.submit': '仍然提交',
  'dup.submitNone': '提交',
  'dup.stop': '不提交，返回修改',

  'sending.title': '正在提交…',
  'sending.attempt': '网络不稳定，正在第 {n} 次重试…',
  'sending.waiting': '网络不稳定，{s} 秒后自动重试（已尝试 {n} 次）',
  'sending.paused': '多次提交未成功，请检查网络后点“重试”。',
  'sending.retry': '重试',
  'sending.safe': '重试不会产生重复工单。',

  'error.title': '提交未成功',
  'error.network': '网络错误',

  'done.title': '上报成功',
  'done.code': '工单编号',
  'done.place': '位置',
  'done.routed': '派往',
  'done.due': '办理时限',
  'done.status': '状态',
  'done.replayed': '（网络重试后确认，未重复创建）',
  'done.another': '再报一件',

  'responder.property_company': '物业企业',
  'responder.department': '职能部门',
  'responder.community': '社区',

  'mine.title': '我的上报',
  'mine.titleArea': '本区域诉求',
  'mine.refresh': '刷新',
  'mine.empty': '还没有上报记录',
  'mine.overdue': '超期',
  'mine.failed': '加载失败：{message}',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'Report an appeal',
  'app.subtitle': 'Sentinels · gridworkers',
  'app.switchLang': '中文',
  'app.switchLangTitle': '切换到中文',
  'app.loading': 'Loading…',
  'app.offline': 'Offline: the draft is saved on this phone',

  'signIn.title': 'Sign in',
  'signIn.hint':
    'Part-time gridworkers (sentinels) and gridworkers report residents’ appeals here.',
  'signIn.username': 'Username',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.busy': 'Signing in…',
  'signIn.out': 'Sign out',
  'signIn.cannotReport':
    'This account may not report appeals; use a sentinel or gridworker account.',
  'signIn.expired': 'Your session expired; sign in again. The draft is kept.',

  'form.title': 'New appeal',
  'form.place': 'Place',
  'form.placeHint': 'Tap the map to place the marker; drag it to adjust',
  'form.useLocation': 'Use my location',
  'form.locating': 'Locating…',
  'form.noPoint': 'No place chosen yet',
  'form.inCompound': '{name}',
  'form.inGrid': '{grid} (outside any compound)',
  'form.outside': 'This point is outside your area ({area}); the report may be refused',
  'form.category': 'Category',
  'form.subject': 'Title',
  'form.subjectPlaceholder': 'The problem in one line, e.g. leaking drain at building 3',
  'form.description': 'Details',
  'form.descriptionPlaceholder': 'When, where, who is affected, what residents ask for…',
  'form.photo': 'Photo',
  'form.photoTake': 'Take / choose a photo',
  'form.photoOr': 'or type a photo reference',
  'form.photoPlaceholder': 'Photo number or where it is kept',
  'form.photoClear': 'Clear',
  'form.photoNote':
    'Photos are not uploaded yet: only the file name, size and a checksum are recorded. Keep the original on the phone.',
  'form.resident': 'Resident (optional)',
  'form.residentName': 'Name',
  'form.residentPhone': 'Phone',
  'form.urgent': 'Urgent',
  'form.urgentHint': 'Safety or many residents affected: a shorter deadline',
  'form.next': 'Check duplicates & submit',
  'form.discard': 'Discard draft',
  'form.discardConfirm': 'Discard this draft?',
  'form.draftRestored': 'Unsent draft restored',

  'invalid.point': 'Choose the place on the map first',
  'invalid.category': 'Choose a category',
  'invalid.subject': 'Enter a title (at most 100 characters)',
  'invalid.phone': 'Phone must be 5–20 digits',

  'geo.unsupported': 'This browser cannot locate you; tap the place on the map.',
  'geo.insecure': 'Locating needs a secure (HTTPS) connection; tap the place on the map.',
  'geo.denied':
    'Location permission was denied. Allow it in the browser settings, or tap the place on the map.',
  'geo.unavailable': 'Your position is not available right now (weak signal?); tap the map.',
  'geo.timeout': 'Locating timed out; try again or tap the place on the map.',
  'geo.accuracy': 'Accurate to about {m} m',

  'dup.title': 'Possible duplicates nearby',
  'dup.checking': 'Looking for appeals of this category within 300 m in the last 14 days…',
  'dup.none': 'No similar appeals nearby: ready to submit.',
  'dup.found': '{n} similar appeal(s) nearby. Make sure this is not the same one:',
  'dup.failed': 'The duplicate check failed ({message}); you can still submit.',
  'dup.distance': '{m} m',
  'dup.submit': 'Submit anyway',
  'dup.submitNone': 'Submit',
  'dup.stop': 'Don’t submit, go back',

  'sending.title': 'Submitting…',
  'sending.attempt': 'Network trouble: attempt {n}…',
  'sending.waiting': 'Network trouble: retrying in {s} s ({n} attempts so far)',
  'sending.paused': 'Several attempts failed. Check the network, then tap Retry.',
  'sending.retry': 'Retry',
  'sending.safe': 'Retrying never creates a second ticket.',

  'error.title': 'Not submitted',
  'error.network': 'Network error',

  'done.title': 'Reported',
  'done.code': 'Ticket',
  'done.place': 'Place',
  'done.routed': 'Routed to',
  'done.due': 'Due',
  'done.status': 'Status',
  'done.replayed': '(confirmed after a retry; no second ticket)',
  'done.another': 'Report another',

  'responder.property_company': 'Property company',
  'responder.department': 'Department',
  'responder.community': 'Community',

  'mine.title': 'My reports',
  'mine.titleArea': 'Appeals in my area',
  'mine.refresh': 'Refresh',
  'mine.empty': 'No reports yet',
  'mine.overdue': 'Overdue',
  'mine.failed': 'Could not load: {message}',
};

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { zh, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalogue = CATALOGUES[lang];
  return (key, params) => {
    const text = catalogue[key] ?? zh[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, k: string) => String(params[k] ?? m)) : text;
  };
}

interface Labelled {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
}

function labelOf(list: readonly Labelled[], key: string, lang: Lang): string {
  const term = list.find((t) => t.key === key);
  return term ? term[lang] : key;
}

/** Vocabulary labels from geo/, in the page's language. */
export const vocab = {
  category: (key: string, lang: Lang) => labelOf(TICKET_CATEGORIES, key, lang),
  status: (key: string, lang: Lang) => labelOf(TICKET_STATUSES, key, lang),
  channel: (key: string, lang: Lang) => labelOf(TICKET_CHANNELS, key, lang),
  role: (key: string, lang: Lang) => labelOf(ROLES, key, lang),
  level: (key: string, lang: Lang) =>
    key in AREA_LEVEL_LABELS ? AREA_LEVEL_LABELS[key as AreaLevel][lang] : key,
};

const LANG_KEY = 'minqing.mobile.lang';

/** `?lang=` (for a link on a poster), else the saved choice, else Chinese. */
export function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'zh' || asked === 'en') return asked;
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    // storage can be blocked (private mode): the page is Chinese first anyway
  }
  return 'zh';
}

export function saveLang(lang: Lang) {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // not fatal: the choice just lasts for this visit
  }
}

/** Beijing time, short: the reports are read on the spot, the date matters less than the hour. */
export function formatTime(iso: string | null | undefined, lang: Lang): string {
  return formatCityTime(iso, lang, 'numeric');
}
