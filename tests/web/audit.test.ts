import { describe, expect, it } from 'vitest';
import {
  auditActionLabel,
  auditChange,
  roleLabel,
  type AuditRow,
} from '../../web/src/lib/audit.ts';

const row = (r: Partial<AuditRow>): AuditRow => ({
  id: 1,
  at: '2026-11-26T08:00:00Z',
  actor: 'community',
  role: 'community',
  action: 'ticket.dispatch',
  entity: 'ticket',
  entityId: '42',
  before: null,
  after: null,
  ...r,
});

describe('audit log wording', () => {
  it('names lifecycle steps with their noun, and the other writes by their own label', () => {
    expect(auditActionLabel('ticket.dispatch', 'zh')).toBe('工单派单');
    expect(auditActionLabel('ticket.dispatch', 'en')).toBe('Ticket: dispatch');
    expect(auditActionLabel('hazard.verify', 'zh')).toBe('隐患验收通过');
    expect(auditActionLabel('whistle.report_in', 'zh')).toBe('报到');
    expect(auditActionLabel('session.create', 'en')).toBe('Signed in');
    expect(auditActionLabel('session.fail', 'zh')).toBe('登录失败');
    expect(auditActionLabel('account.reset_password', 'zh')).toBe('重置密码');
    expect(auditActionLabel('account.disable', 'en')).toBe('Account disabled');
    // an action this build does not know yet is shown as recorded, not hidden
    expect(auditActionLabel('ledger.archive', 'zh')).toBe('ledger.archive');
    expect(roleLabel('property_company', 'zh')).toBe('物业企业');
  });

  it('summarises a status move, changed fields, and what a new record is called', () => {
    expect(
      auditChange(
        row({
          before: { status: 'received', propertyCompanyId: 15, dueAt: '2026-11-27T00:00:00Z' },
          after: { status: 'dispatched', propertyCompanyId: 16, dueAt: '2026-11-28T00:00:00Z' },
        }),
        'zh',
      ),
    ).toBe('已受理 → 已派单 · propertyCompanyId: 15 → 16');
    expect(
      auditChange(
        row({ action: 'ticket.create', after: { status: 'received', title: '楼道灯不亮' } }),
        'zh',
      ),
    ).toBe('已受理 · 楼道灯不亮');
    expect(
      auditChange(row({ before: { status: 'accepted' }, after: { status: 'accepted' } }), 'en'),
    ).toBe('');
  });
});
