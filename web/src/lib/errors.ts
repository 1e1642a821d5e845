/**
 * What an API failure means to the person who hit it, in the UI's language. The server answers
 * `{ error: { code, message, field?, reason? } }`; its message is English and written for
 * developers, so the Chinese UI never shows it: the code (or the specific reason), the field at
 * fault and, failing both, the class of HTTP status are looked up in the catalogue instead.
 *
 * @example
 * describeError(new ApiError(400, 'no_property_company', '…'), 'zh').text;
 * // '该小区无物业，请派给职能部门或社区'
 * describeError({ status: 429, code: 'x' }, 'zh').text; // '操作过于频繁，请稍后再试'
 */
import { errorsEn, errorsZh, type ErrorMessageKey } from './i18n-errors.ts';

type Lang = 'zh' | 'en';

/** What the web's and the mobile page's ApiError carry; `status` 0 is a network failure. */
export interface ErrorLike {
  status: number;
  code?: string;
  message?: string;
  field?: string;
  reason?: string;
}

export interface ErrorDescription {
  /** what to show, in the UI's language */
  text: string;
  /** the server's own (English) message, for English mode or a secondary line */
  detail: string | null;
  /** the catalogue key that was used, for tests and `data-code` */
  key: ErrorMessageKey;
}

// Codes that only say the class of failure: a field or a specific reason says more.
const GENERIC = new Set([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'internal',
]);

const catalogue = (lang: Lang): Record<string, string> => (lang === 'zh' ? errorsZh : errorsEn);

function has(key: string): key is ErrorMessageKey {
  return key in errorsZh;
}

/** Today's server names the field only in its message ("field 'note' must…"): read it there. */
function fieldOf(e: ErrorLike): string | undefined {
  if (e.field) return e.field;
  const m = /\b(?:field|parameter) '([\w.]+)'/.exec(e.message ?? '');
  return m?.[1];
}

function fieldLabel(field: string, lang: Lang): string {
  const cat = catalogue(lang);
  const clean = field.replace(/\[\d+\]/g, '');
  return cat[`error.field.${clean}`] ?? cat[`error.field.${clean.split('.')[0]}`] ?? clean;
}

function isErrorLike(err: unknown): err is ErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as ErrorLike).status === 'number';
}

function statusKey(status: number): ErrorMessageKey {
  const exact = `error.status.${status}`;
  if (has(exact)) return exact;
  if (status >= 500) return 'error.status.5xx';
  if (status >= 400) return 'error.status.4xx';
  return 'error.status.0';
}

/** The catalogue key for a failure, most specific first: reason, code, field, status class. */
export function errorKey(e: ErrorLike): { key: ErrorMessageKey; field?: string } {
  const field = fieldOf(e);
  const reasonKey = `error.code.${e.reason}`;
  // A reason may speak of its field (field_missing: 请填写“{field}”).
  if (e.reason && has(reasonKey)) return field ? { key: reasonKey, field } : { key: reasonKey };
  const code = e.code ?? '';
  if (code === 'field_invalid' || code === 'field_missing') {
    return field ? { key: `error.code.${code}`, field } : { key: 'error.code.bad_request' };
  }
  const codeKey = `error.code.${code}`;
  if (code && !GENERIC.has(code) && has(codeKey)) return { key: codeKey };
  if (field && e.status === 400) return { key: 'error.code.field_invalid', field };
  if (code && has(codeKey) && !(code === 'internal' && e.status < 500)) return { key: codeKey };
  return { key: statusKey(e.status) };
}

/** Any thrown value (an API error, a network failure, a bug) as something a person can read. */
export function describeError(err: unknown, lang: Lang): ErrorDescription {
  const e: ErrorLike = isErrorLike(err)
    ? err
    : { status: err instanceof TypeError || isNetworkError(err) ? 0 : 500, message: String(err) };
  const { key, field } = errorKey(e);
  let text = catalogue(lang)[key] ?? errorsZh[key];
  if (field) text = text.replace('{field}', fieldLabel(field, lang));
  const detail = isErrorLike(err) && e.message && e.message !== text ? e.message : null;
  return { text, detail, key };
}

function isNetworkError(err: unknown): boolean {
  return err instanceof Error && err.name === 'NetworkError';
}

/**
 * One line for a form's error slot: the translated text, and in English mode the server's own
 * message after it (it may name the record or the deadline); never English inside the Chinese UI.
 */
export function errorText(err: unknown, lang: Lang): string {
  const d = describeError(err, lang);
  return lang === 'en' && d.detail ? `${d.text} (${d.detail})` : d.text;
}
