/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), the pure parts: our ticket categories as
 * the spec's services and their attributes, our lifecycle as open/closed and public status notes,
 * W3C datetimes and the 90-day window, the XML writer, and the redaction of personal data from a
 * resident's text before anyone may read it. No DB, no HTTP: server/services/open311.ts uses these.
 *
 * @example
 * openClosed('resolved'); // 'closed'
 * w3c(new Date('2026-12-01T02:00:00Z')); // '2026-12-01T10:00:00+08:00'
 * toXml('errors', [{ error: { code: 400, description: 'a & b' } }]);
 * // '<?xml version="1.0" encoding="utf-8"?><errors><error><code>400</code>…'
 */
import { TICKET_DEADLINE_HOURS } from './operations.ts';
import {
  OPEN_TICKET_STATUSES,
  TICKET_CATEGORIES,
  type TicketCategory,
  type TicketStatus,
} from './vocabulary.ts';

/** The one jurisdiction this endpoint serves: 兰州市 (documented in docs/open311.md). */
export const JURISDICTION_ID = 'lanzhou.gov.cn';

/** The spec's maximum window between start_date and end_date, and its default span. */
export const WINDOW_DAYS = 90;
/** The spec's default (and our maximum) number of requests in one answer. */
export const MAX_REQUESTS = 1000;

export type Open311Format = 'json' | 'xml';

// ---------------------------------------------------------------------------------------------
// Services and attributes

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface AttributeValue {
  key: string;
  name: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values: AttributeValue[];
}

const SERVICE_TEXT: Record<
  TicketCategory,
  { description: string; keywords: string; group: string }
> = {
  parking: {
    description: '小区及周边停车难、乱停乱放、占用消防通道、充电桩等问题。',
    keywords: '停车,车位,乱停,消防通道,充电桩',
    group: '交通停车',
  },
  facilities: {
    description: '供水、排水、燃气、暖气管道老化，电梯、屋面、路灯等老旧设施问题。',
    keywords: '管道,漏水,电梯,屋面,路灯,老旧小区',
    group: '设施维修',
  },
  property_service: {
    description: '物业服务质量、收费、保洁、保安、维修响应等问题。',
    keywords: '物业,保洁,保安,维修,收费',
    group: '物业服务',
  },
  dispute: {
    description: '邻里纠纷、业主与物业之间的纠纷，需调解处理。',
    keywords: '纠纷,邻里,调解,物业纠纷',
    group: '矛盾纠纷',
  },
  legal_aid: {
    description: '需要法律咨询或法律援助的事项。',
    keywords: '法律,咨询,援助,维权',
    group: '矛盾纠纷',
  },
  sanitation: {
    description: '垃圾清运、污水外溢、路面脏乱等环境卫生问题。',
    keywords: '垃圾,污水,卫生,清运',
    group: '环境卫生',
  },
  noise: {
    description: '夜间施工、商铺、广场舞等噪声扰民问题。',
    keywords: '噪音,噪声,施工,扰民',
    group: '环境卫生',
  },
  safety: {
    description: '消防、用电、燃气、房屋结构等安全隐患。',
    keywords: '安全,隐患,消防,燃气,用电',
    group: '公共安全',
  },
  elder_child_care: {
    description: '养老服务、托育服务及相关设施需求。',
    keywords: '养老,托育,助餐,老人,儿童',
    group: '民生服务',
  },
  other: {
    description: '以上类别之外的其他诉求。',
    keywords: '其他',
    group: '其他',
  },
};

/** A category's service code is its key: stable, readable, and the same as in our own API. */
export const OPEN311_SERVICES: readonly Open311Service[] = TICKET_CATEGORIES.map((c) => ({
  service_code: c.key,
  service_name: c.zh,
  description: SERVICE_TEXT[c.key].description,
  // Every service has at least the priority attribute (intake asks normal or urgent).
  metadata: true,
  type: 'realtime',
  keywords: SERVICE_TEXT[c.key].keywords,
  group: SERVICE_TEXT[c.key].group,
}));

export function serviceOf(code: string): Open311Service | undefined {
  return OPEN311_SERVICES.find((s) => s.service_code === code);
}

/** Intake asks every ticket normal or urgent (the urgent deadline is shorter). */
const PRIORITY: Open311Attribute = {
  variable: true,
  code: 'priority',
  datatype: 'singlevaluelist',
  required: false,
  datatype_description: 'normal 或 urgent，缺省为 normal',
  order: 1,
  description: '紧急程度（紧急诉求的办理时限更短）',
  values: [
    { key: 'normal', name: '一般' },
    { key: 'urgent', name: '紧急' },
  ],
};

/** What the ticket is about, where a category has a finer kind: it leads the ticket's title. */
const KIND_ATTRIBUTES: Partial<Record<TicketCategory, Open311Attribute>> = {
  parking: {
    variable: true,
    code: 'parking_issue',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: '从列表中选择一项',
    order: 2,
    description: '停车问题类型',
    values: [
      { key: 'illegal_parking', name: '乱停乱放' },
      { key: 'shortage', name: '车位不足' },
      { key: 'fire_lane', name: '占用消防通道' },
      { key: 'charging', name: '充电桩' },
    ],
  },
  facilities: {
    variable: true,
    code: 'facility',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: '从列表中选择一项',
    order: 2,
    description: '哪一类设施',
    values: [
      { key: 'water_pipe', name: '供水管道' },
      { key: 'drain', name: '排水管道' },
      { key: 'heating_pipe', name: '暖气管道' },
      { key: 'gas_pipe', name: '燃气管道' },
      { key: 'elevator', name: '电梯' },
      { key: 'roof', name: '屋面' },
      { key: 'street_light', name: '路灯' },
      { key: 'other', name: '其他设施' },
    ],
  },
  safety: {
    variable: true,
    code: 'hazard',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: '从列表中选择一项',
    order: 2,
    description: '隐患类型',
    values: [
      { key: 'fire', name: '消防' },
      { key: 'gas', name: '燃气' },
      { key: 'electrical', name: '用电' },
      { key: 'structural', name: '房屋结构' },
      { key: 'elevator', name: '电梯' },
    ],
  },
};

/** The attributes of a service (its `service_definition`). */
export function attributesOf(code: TicketCategory): Open311Attribute[] {
  const kind = KIND_ATTRIBUTES[code];
  return kind ? [PRIORITY, kind] : [PRIORITY];
}

export type AttributeInput = Record<string, string | string[]>;

/**
 * Checks the attributes sent with a request against the service's definition: unknown codes and
 * values not in a list are refused (a message naming `attribute[code]`), and the result is the
 * ticket's priority and the label of the finer kind (which leads the title), if any.
 */
export function readAttributes(
  code: TicketCategory,
  input: AttributeInput,
):
  | { ok: true; priority: 'normal' | 'urgent'; kindLabel: string | null }
  | { ok: false; error: string } {
  const defs = attributesOf(code);
  let priority: 'normal' | 'urgent' = 'normal';
  let kindLabel: string | null = null;
  for (const [name, raw] of Object.entries(input)) {
    const def = defs.find((d) => d.code === name);
    if (!def)
      return {
        ok: false,
        error: `attribute[${name}] is not an attribute of service '${code}'; it has ${defs.map((d) => `attribute[${d.code}]`).join(', ')} (GET services/${code}.json)`,
      };
    const value = Array.isArray(raw) ? raw : [raw];
    if (value.length !== 1)
      return { ok: false, error: `attribute[${name}] takes one value from its list` };
    const hit = def.values.find((v) => v.key === value[0]);
    if (!hit)
      return {
        ok: false,
        error: `attribute[${name}] must be one of ${def.values.map((v) => v.key).join(', ')}`,
      };
    if (def.code === 'priority') priority = hit.key as 'normal' | 'urgent';
    else kindLabel = hit.name;
  }
  for (const d of defs)
    if (d.required && !(d.code in input))
      return { ok: false, error: `attribute[${d.code}] is required for service '${code}'` };
  return { ok: true, priority, kindLabel };
}

/** The deadline in hours intake gives a category (normal, urgent). */
export function deadlineHours(code: TicketCategory, priority: 'normal' | 'urgent') {
  return TICKET_DEADLINE_HOURS[code][priority === 'urgent' ? 1 : 0];
}

/**
 * A ticket's title from a request that has no title: the kind (an attribute's label) and the
 * first clause of the description, within 100 characters.
 *
 * @example
 * ticketTitle('电梯', '3号楼电梯停运两天了。请尽快修理', '老旧设施') // '电梯：3号楼电梯停运两天了'
 */
export function ticketTitle(kind: string | null, description: string, serviceName: string) {
  const head = description
    .trim()
    .split(/[。！？!?；;\n]/, 1)[0]!
    .trim();
  const short = [...head].length > 40 ? `${[...head].slice(0, 40).join('')}…` : head;
  const text = short || `${serviceName}（见图片）`;
  return [...(kind ? `${kind}：${text}` : text)].slice(0, 100).join('');
}

// ---------------------------------------------------------------------------------------------
// Status

/** Open while the ticket still needs work; closed once resolved (办结), closed or a duplicate. */
export function openClosed(status: TicketStatus): 'open' | 'closed' {
  return OPEN_TICKET_STATUSES.includes(status) ? 'open' : 'closed';
}

/** The statuses that count as `closed` for the spec's `status` filter. */
export const CLOSED_STATUSES: readonly TicketStatus[] = [
  'resolved',
  'closed',
  'rejected_duplicate',
];

/**
 * The public wording of each step of the lifecycle. Staff notes (why a ticket was returned, what
 * the callback heard) and names never leave the app: `status_notes` is this text for the last
 * public step. Returning a ticket to the hub and transferring it are internal moves: the public
 * sees the last public step before them.
 */
export const PUBLIC_STEP_NOTES: Partial<Record<TicketStatus, string>> = {
  received: '已受理，正在分派承办单位。',
  dispatched: '已派单至承办单位。',
  accepted: '承办单位已接单。',
  in_progress: '承办单位正在处理。',
  resolved: '已办结，等待回访。',
  closed: '已回访，诉求办结。',
  reopened: '回访后重新办理。',
  rejected_duplicate: '与已有诉求重复，并入原诉求办理。',
};

export const PUBLIC_STEPS = Object.keys(PUBLIC_STEP_NOTES) as TicketStatus[];

// ---------------------------------------------------------------------------------------------
// Dates

/** Beijing time: the offset every datetime we write carries. */
const OFFSET_MS = 8 * 3600_000;

/** A W3C datetime in Beijing time: `2026-12-01T10:00:00+08:00`. */
export function w3c(d: Date | string): string {
  const t = new Date(new Date(d).getTime() + OFFSET_MS).toISOString();
  return `${t.slice(0, 19)}+08:00`;
}

const W3C_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * Parses a W3C datetime (www.w3.org/TR/NOTE-datetime: YYYY, YYYY-MM, YYYY-MM-DD, or with a time
 * hh:mm[:ss[.s]] and an offset). Without an offset, Beijing time. Null when it is not one.
 */
export function parseW3c(text: string): Date | null {
  const m = W3C_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', tz] = m;
  const zone = tz === undefined || tz === '' ? '+08:00' : tz;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  // Reject 2026-02-31 and the like, which Date would roll over.
  const local = new Date(date.getTime() + offsetMs(zone));
  if (
    local.getUTCFullYear() !== Number(y) ||
    local.getUTCMonth() + 1 !== Number(mo) ||
    local.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return null;
  return date;
}

function offsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hh, mm] = zone.slice(1).split(':').map(Number);
  return sign * (hh! * 60 + mm!) * 60_000;
}

/**
 * The period a `GET requests` covers: the spec's default is the last 90 days; with one end only,
 * the 90 days from (or up to) it; both ends must be in order and at most 90 days apart.
 */
export function requestWindow(
  start: Date | null,
  end: Date | null,
  now: Date,
): { ok: true; from: Date; to: Date } | { ok: false; error: string } {
  const span = WINDOW_DAYS * 86400_000;
  if (start && end) {
    if (end.getTime() < start.getTime())
      return { ok: false, error: 'end_date must not be before start_date' };
    if (end.getTime() - start.getTime() > span)
      return {
        ok: false,
        error: `start_date and end_date may be at most ${WINDOW_DAYS} days apart; narrow the range or ask for several`,
      };
    return { ok: true, from: start, to: end };
  }
  if (start) return { ok: true, from: start, to: new Date(start.getTime() + span) };
  const to = end ?? now;
  return { ok: true, from: new Date(to.getTime() - span), to };
}

// ---------------------------------------------------------------------------------------------
// Privacy

/**
 * A resident's text with personal data taken out before the public reads it: the resident's own
 * name and phone as the ticket holds them, and anything shaped like a mobile or landline number,
 * an ID card number (身份证), an e-mail address or a licence plate.
 *
 * @example
 * redact('我是张三，电话13812345678', ['张三']) // '我是**，电话***********'
 */
export function redact(text: string, known: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const k of known) {
    const v = k?.trim();
    if (v && [...v].length >= 2) out = out.split(v).join('*'.repeat([...v].length));
  }
  return (
    out
      // ID card: 17 digits and a digit or X.
      .replace(/(?<!\d)\d{17}[\dXx](?!\d)/g, (m) => '*'.repeat(m.length))
      // Mobile numbers (11 digits from 1), landlines (0931-8123456), loosely spaced or dashed.
      .replace(/(?<!\d)(?:\+?86[\s-]?)?1\d{2}[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g, (m) =>
        '*'.repeat(m.length),
      )
      .replace(/(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/g, (m) => '*'.repeat(m.length))
      .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, (m) => '*'.repeat(m.length))
      // Licence plates: 甘A12345, 甘A·D12345.
      .replace(
        /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·\s]?[A-Z0-9]{5,6}/g,
        (m) => '*'.repeat([...m].length),
      )
  );
}

/** A media URL the public may see: only a web address (an internal photo reference is not one). */
export function publicMediaUrl(ref: string | null): string | null {
  return ref && /^https?:\/\/[^\s]+$/i.test(ref) ? ref : null;
}

// ---------------------------------------------------------------------------------------------
// XML

/** A value the writer can put in an element: text, a number, a boolean, nothing, or children. */
export type XmlValue =
  string | number | boolean | null | undefined | XmlValue[] | { [name: string]: XmlValue };

/** Escapes text for an element, dropping the characters XML 1.0 cannot hold at all. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function element(name: string, value: XmlValue): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => body(v)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${body(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function body(value: XmlValue): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(body).join('');
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('');
  return escapeXml(String(value));
}

/**
 * An XML document: `toXml('services', [{ service: {…} }, …])`. Objects become child elements in
 * key order, arrays a sequence, empty values an empty element (`<zipcode/>`).
 */
export function toXml(root: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="utf-8"?>${element(root, value)}`;
}
