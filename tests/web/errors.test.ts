import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/lib/api.ts';
import { describeError, errorKey, errorText } from '../../web/src/lib/errors.ts';
import { catalogues } from '../../web/src/lib/i18n.ts';
import { errorsEn, errorsZh } from '../../web/src/lib/i18n-errors.ts';
import { responderGroups } from '../../web/src/lib/responders.ts';

const LATIN_WORD = /[A-Za-z]{3,}/;

describe('API errors in the UI language', () => {
  it('translates a specific code and never shows the English message in Chinese', () => {
    const err = new ApiError(
      400,
      'no_property_company',
      "this ticket's place has no property company (无物业); dispatch it to a department or the community",
    );
    expect(errorText(err, 'zh')).toBe('该小区无物业，请派给职能部门或社区');
    expect(errorText(err, 'zh')).not.toMatch(LATIN_WORD);
    // English mode may show the server's words after its own
    expect(errorText(err, 'en')).toMatch(/^This compound has no property company.*\(this ticket/);
  });

  it('reads a specific reason beside a generic code', () => {
    const err = new ApiError(
      409,
      'conflict',
      'Ticket T1 is closed…',
      undefined,
      'invalid_transition',
    );
    expect(describeError(err, 'zh').key).toBe('error.code.invalid_transition');
  });

  it('names the field at fault, from `field` or from the message', () => {
    expect(errorText(new ApiError(400, 'field_invalid', 'x', 'note'), 'zh')).toBe(
      '“说明”填写有误，请检查',
    );
    expect(errorText(new ApiError(400, 'field_missing', 'x', 'responder.id'), 'zh')).toBe(
      '请填写“承办单位”',
    );
    // today's server says it only in words
    const old = new ApiError(400, 'bad_request', "field 'note' must say what was done");
    expect(errorText(old, 'zh')).toBe('“说明”填写有误，请检查');
    expect(errorText(new ApiError(400, 'field_invalid', 'x'), 'zh')).toBe('输入有误，请检查后重试');
    // the server's way: a generic code, the reason and the field beside it
    const missing = new ApiError(
      400,
      'bad_request',
      "field 'note' must say",
      'note',
      'field_missing',
    );
    expect(errorText(missing, 'zh')).toBe('请填写“说明”');
  });

  it('falls back on the class of status for codes it does not know', () => {
    const zh = (status: number, code = 'something_new') =>
      errorText(new ApiError(status, code, 'An English sentence from the server'), 'zh');
    expect(zh(400)).toBe('输入有误，请检查后重试');
    expect(zh(401)).toBe('请先登录');
    expect(zh(403)).toBe('您的账号无权执行此操作');
    expect(zh(404)).toBe('记录不存在，或不在您的辖区内');
    expect(zh(409)).toBe('记录已被他人更新，请刷新后重试');
    expect(zh(413)).toBe('提交的内容过大，请缩小后重试');
    expect(zh(429)).toBe('操作过于频繁，请稍后再试');
    expect(zh(503)).toBe('服务暂时不可用，正在自动恢复…');
    expect(zh(418)).toBe('请求未被接受，请检查后重试');
    expect(zh(502)).toBe('服务器出错，请稍后再试');
    expect(zh(429, 'rate_limited')).toBe('操作过于频繁，请稍后再试');
    expect(zh(503, 'unavailable')).toBe('服务暂时不可用，正在自动恢复…');
  });

  it('describes a network failure and a bug without their English', () => {
    expect(errorText(new TypeError('Failed to fetch'), 'zh')).toBe(
      '网络连接失败，请检查网络后重试',
    );
    expect(errorText(new Error('x is undefined'), 'zh')).toBe('服务器出错，请稍后再试');
    expect(errorKey({ status: 0 }).key).toBe('error.status.0');
  });

  it('has every error message in both languages, inside the one catalogue', () => {
    expect(Object.keys(errorsEn).sort()).toEqual(Object.keys(errorsZh).sort());
    for (const [key, text] of Object.entries(errorsZh)) {
      expect(text.replace('{field}', ''), key).not.toMatch(LATIN_WORD);
      expect(catalogues.zh[key as keyof typeof catalogues.zh]).toBe(text);
    }
  });
});

describe('dispatch and transfer targets', () => {
  const meta = {
    propertyCompanies: [
      { id: 1, name: '甲物业', creditScore: 90, list: 'none' as const },
      { id: 2, name: '乙物业', creditScore: 80, list: 'none' as const },
    ],
    departments: [{ id: 7, code: 'water', name: '市供水集团' }],
  };

  it("offers only the bodies that can serve the ticket's place when the server lists them", () => {
    const groups = responderGroups(
      {
        targets: [
          { kind: 'property_company', id: 2, name: '乙物业' },
          { kind: 'department', id: 7, name: '市供水集团' },
          { kind: 'community', id: 5, name: '龙源社区' },
        ],
        meta,
      },
      null,
    );
    expect(groups.map((g) => [g.kind, g.options.map((o) => o.value)])).toEqual([
      ['community', ['community']],
      ['property_company', ['property_company:2']],
      ['department', ['department:7']],
    ]);
  });

  it('leaves out the body holding the ticket, and falls back to the city lists', () => {
    const groups = responderGroups(
      { targets: null, meta },
      { kind: 'property_company', id: 1, name: '甲物业' },
    );
    expect(groups.flatMap((g) => g.options.map((o) => o.value))).toEqual([
      'community',
      'property_company:2',
      'department:7',
    ]);
  });
});
